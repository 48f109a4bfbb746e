"""The portal's deployment checks (portal/checks.py), as `manage.py check --deploy` shows them."""

import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.test import override_settings

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}}


def _shared_cache_warnings(*, deploy=True):
    return [message for message in run_checks(include_deployment_checks=deploy) if message.id == "portal.W001"]


def test_check_deploy_warns_when_gunicorns_workers_would_each_count_on_their_own():
    """What was seen: gunicorn with 3 workers and no REDIS_URL let 15 anonymous calls through a
    5/min budget, and `check --deploy` said nothing."""
    environ = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    environ.update(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.ir")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=django_settings.BASE_DIR, env=environ,
        capture_output=True, text=True, check=False,  # warnings alone do not fail the command
    )
    assert "portal.W001" in result.stdout + result.stderr
    assert "REDIS_URL" in result.stdout + result.stderr


@override_settings(DEBUG=False, CACHES=LOCMEM)
def test_a_per_process_cache_in_production_names_every_feature_that_counts_in_it():
    [warning] = _shared_cache_warnings()
    assert "LocMemCache" in warning.msg
    for feature in ("form-post throttle", "API throttles", "public page cache"):
        assert feature in warning.msg
    assert "login lockouts" not in warning.msg  # django-axes keeps them in the database here
    assert "REDIS_URL" in warning.hint


@override_settings(DEBUG=False, CACHES=DUMMY, AXES_HANDLER="axes.handlers.cache.AxesCacheHandler")
def test_a_dummy_cache_warns_too_and_lockouts_count_when_axes_keeps_them_in_the_cache():
    [warning] = _shared_cache_warnings()
    assert "DummyCache" in warning.msg and "login lockouts" in warning.msg


@override_settings(DEBUG=False, CACHES=LOCMEM)
def test_the_warning_is_a_deployment_check_only():
    assert _shared_cache_warnings(deploy=False) == []


@override_settings(DEBUG=False, CACHES=REDIS)
def test_a_shared_cache_raises_no_warning():
    assert _shared_cache_warnings() == []


@override_settings(DEBUG=True, CACHES=LOCMEM)
def test_development_with_a_local_cache_raises_no_warning():
    assert _shared_cache_warnings() == []
