"""SMS through a backend chosen by a setting, like Django's e-mail backends.

settings.SMS_BACKEND names the class (environment SMS_BACKEND): the console backend by
default, `notices.sms.HttpSmsBackend` for a real provider (SMS_API_URL, SMS_API_KEY,
SMS_SENDER, SMS_TIMEOUT_SECONDS), `notices.sms.LocmemSmsBackend` in tests (messages kept
in `notices.sms.outbox`, as django.core.mail.outbox keeps mail)."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


# What LocmemSmsBackend has "sent" (tests read and empty it).
outbox: list[Sms] = []


class SmsError(Exception):
    """The provider did not accept a message: the task fails, so the failure is seen."""


class ConsoleSmsBackend:
    """Prints each message (the default: development)."""

    def send(self, phone: str, text: str) -> int:
        print(f"SMS to {phone}: {text}")
        return 1


class LocmemSmsBackend:
    """Keeps each message in `notices.sms.outbox` (tests)."""

    def send(self, phone: str, text: str) -> int:
        outbox.append(Sms(phone, text))
        return 1


class HttpSmsBackend:
    """A provider's HTTP API: POSTs {"to", "from", "text"} as JSON to SMS_API_URL with
    SMS_API_KEY as a bearer token; anything but a 2xx answer raises SmsError."""

    def __init__(self):
        self.url = getattr(settings, "SMS_API_URL", "")
        self.key = getattr(settings, "SMS_API_KEY", "")
        self.sender = getattr(settings, "SMS_SENDER", "")
        self.timeout = getattr(settings, "SMS_TIMEOUT_SECONDS", 10)
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("HttpSmsBackend needs SMS_API_URL (an http or https address)")

    def send(self, phone: str, text: str) -> int:
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": phone, "from": self.sender, "text": text}).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.key}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"SMS provider answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"SMS provider unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"SMS provider answered {status}")
        return 1


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "notices.sms.ConsoleSmsBackend"))()


def send_text(phone: str, text: str) -> int:
    """Send one SMS to one number; returns 1 when the backend accepted it."""
    return sms_backend().send(phone, text)
