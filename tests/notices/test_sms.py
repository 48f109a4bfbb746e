"""The SMS backends: the real HTTP provider class against a real local HTTP server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from notices.sms import HttpSmsBackend, SmsError, send_text


class Provider:
    """A local HTTP server that records each request and answers with `status`."""

    def __init__(self, status=200):
        self.requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                provider.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.status = status
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_sms(settings):
    def configure(url):
        settings.SMS_BACKEND = "notices.sms.HttpSmsBackend"
        settings.SMS_API_URL = url
        settings.SMS_API_KEY = "secret-key"
        settings.SMS_SENDER = "3000123"
        settings.SMS_TIMEOUT_SECONDS = 5

    return configure


def test_the_http_backend_posts_json_with_the_bearer_key(http_sms):
    with Provider() as provider:
        http_sms(provider.url)
        assert send_text("09121234567", "جلسه تأیید شد\nhttps://portal.example/account/") == 1
    [request] = provider.requests
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer secret-key"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {
        "to": "09121234567", "from": "3000123", "text": "جلسه تأیید شد\nhttps://portal.example/account/",
    }


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_the_http_backend_raises_when_the_provider_refuses(http_sms, status):
    with Provider(status=status) as provider:
        http_sms(provider.url)
        with pytest.raises(SmsError, match=str(status)):
            send_text("09121234567", "hello")
    assert len(provider.requests) == 1


def test_the_http_backend_raises_when_the_provider_is_unreachable(http_sms):
    with Provider() as provider:
        url = provider.url
    http_sms(url)  # the server is closed: nothing listens there now
    with pytest.raises(SmsError):
        send_text("09121234567", "hello")


def test_the_http_backend_needs_an_address(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_API_URL = ""
    with pytest.raises(ImproperlyConfigured):
        HttpSmsBackend()


def test_the_task_fails_visibly_when_the_provider_refuses(http_sms, settings):
    from notices.tasks import send_sms

    with Provider(status=500) as provider:
        http_sms(provider.url)
        with pytest.raises(SmsError):
            send_sms.call("09121234567", "hello")
