"""What portal/settings.py makes of the environment."""

import json
import os
import subprocess
import sys


def _renderers(**environ) -> list[str]:
    code = "import json, portal.settings as s; print(json.dumps(s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']))"
    env = {**os.environ, **environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)



def test_only_json_is_rendered_in_production_and_the_browsable_api_only_when_debugging():
    assert _renderers(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.ir") == [
        "rest_framework.renderers.JSONRenderer"
    ]
    assert _renderers(DEBUG="1") == [
        "rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"
    ]

