"""What the operators see of a running site: the client's address behind the proxies, a request
id on every log line, one structured line per request, and the figures of ``reintegration.metrics``.

Log lines never carry a name, a CIN or a query string (a search's terms are names and CINs): a
request is logged by its path, its view's name, its status and its time, with the request id
(nginx's ``X-Request-ID``, so that nginx's line and ours can be matched) and the user's id.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from reintegration.lockout import CLIENT_ADDRESS_KEY, client_ip
from reintegration.logs import current_request, user_id
from reintegration.metrics import REQUEST_SECONDS

request_logger = logging.getLogger("reintegration.requests")

# An id nginx made ($request_id: 32 hex digits) or another proxy's; anything else is replaced.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "X-Request-ID"


class ClientAddressMiddleware:
    """Put the client's address in ``REMOTE_ADDR`` once, first: behind nginx the socket's address
    is the proxy's, the client's is in ``X-Forwarded-For`` as far as ``TRUSTED_PROXY_COUNT``
    proxies vouch for it (``reintegration.lockout.client_ip``). The sign-in lockouts, the
    throttles, the sign-in events and the logs then all see the person, not the proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_ip(request)
        if address:
            request.META["REMOTE_ADDR"] = request.META[CLIENT_ADDRESS_KEY] = address
        return self.get_response(request)


class RequestLogMiddleware:
    """First of all: a request id (the proxy's when it is well-formed, a new one otherwise, sent
    back in ``X-Request-ID``), the time to answer observed by view, and one log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        # Forgotten when the answer is sent (reintegration.logs), after Django's own lines about it.
        current_request.set(request)
        start = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - start
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unresolved"
        REQUEST_SECONDS.labels(view=view, method=request.method, status=f"{response.status_code // 100}xx").observe(
            seconds
        )
        response[REQUEST_ID_HEADER] = request.request_id
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "user_id": user_id(request),
                "method": request.method,
                "view": view,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "client": request.META.get("REMOTE_ADDR"),
            },
        )
        return response
