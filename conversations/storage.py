"""Where conversation files and need documents are kept: settings.PRIVATE_MEDIA_ROOT, a
folder outside MEDIA_ROOT that no URL maps to. The folder is read from settings at each
use (tests point it at a temporary folder), and the storage has no URL: the only way to a
file is a conversations view that checked the reader's right to it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; conversations.views serves them after a permission check.")

    def deconstruct(self):
        return ("conversations.storage.PrivateStorage", (), {})


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
