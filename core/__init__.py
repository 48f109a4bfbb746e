"""Helpers that import no app of this project: env readers, Persian text and digits,
formats, throttling, the public page cache, mail sending and calendar files."""
