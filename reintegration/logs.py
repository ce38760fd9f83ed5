"""Log lines a collector can index (``LOGGING`` in the settings): every record carries the
current request's id and the signed-in user's id, and production writes one JSON object a line.

Loaded with the settings, before the apps: nothing here may import a model.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar

from django.utils.functional import SimpleLazyObject, empty

# The request being answered: set by reintegration.observability.RequestLogMiddleware, forgotten
# once its answer is sent (forget_request, on request_finished), so that Django's own line about
# the answer ("Not Found: ...", logged after the middleware) still carries its ids.
current_request: ContextVar[object | None] = ContextVar("current_request", default=None)


def forget_request(**kwargs) -> None:
    current_request.set(None)


def user_id(request) -> int | None:
    """The signed-in user's id, without loading the user just to log it."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestContextFilter(logging.Filter):
    """Add the current request's id and user id (None outside a request) to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            record.user_id = user_id(request) if request is not None else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what a log collector indexes without parsing prose."""

    FIELDS = ("request_id", "user_id", "method", "view", "path", "status", "duration_ms", "client", "job_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
