"""What `make run` starts (the Makefile), read with `make -n` so nothing runs."""

import os
import shlex
import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _runserver_environment(*args, **environ) -> dict[str, str]:
    """The variables set on the line of `make -n run ...` that starts runserver."""
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(environ)
    result = subprocess.run(
        ["make", "-n", "run", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    [line] = [line for line in result.stdout.splitlines() if "manage.py runserver" in line]
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[: words.index(next(w for w in words if "=" not in w))])


def test_make_run_on_another_port_puts_that_port_into_mail_and_qr_links():
    assert _runserver_environment("PORT=8104")["SITE_URL"] == "http://127.0.0.1:8104"
    assert _runserver_environment("HOST=0.0.0.0", "PORT=8105")["SITE_URL"] == "http://0.0.0.0:8105"


def test_make_run_keeps_a_site_url_already_set():
    assert _runserver_environment("PORT=8104", SITE_URL="https://portal.example.ir")["SITE_URL"] == (
        "https://portal.example.ir"
    )
    assert _runserver_environment("PORT=8104", "SITE_URL=https://staging.example.ir")["SITE_URL"] == (
        "https://staging.example.ir"
    )
