"""What a user can cause, as one family of exceptions. The CLI prints `error: <sentence>` for these and a
traceback for anything else (a bug); the app shows the sentence. str(exc) is always that one sentence."""

from __future__ import annotations


class NewsError(Exception):
    """Something a user can cause and fix: a bad file or URL, too few articles, an unknown id."""


class BadInput(NewsError, ValueError):
    """A file, row, URL, option or value that cannot be used as given."""


class NotFound(NewsError, LookupError):
    """An id, outlet, topic or model that is not in the store."""
