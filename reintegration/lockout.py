"""Failed sign-ins (django-axes): whose address they come from, and when they lock.

Two counts, each over ``AXES_COOLOFF_TIME``:

- a username tried from one address, locked at ``AXES_FAILURE_LIMIT`` (5): someone guessing a
  colleague's password is stopped, and nobody elsewhere can lock that account for its owner;
- an address, whatever the usernames, locked at ``LOGIN_FAILURE_LIMIT_PER_ADDRESS`` (30):
  one password tried across many usernames is stopped too. Higher, because the computers of a
  centre reach us through one public address.

django-axes compares every count with one limit, so the handler below scales the address's
count to it; and a successful sign-in forgets the failures of that username and address only,
so that signing in with one's own account does not wipe the address's count.

Behind nginx every request comes from the proxy's socket; the client's address is then the one
our proxies appended last to ``X-Forwarded-For``, read only when ``TRUSTED_PROXY_COUNT`` says
how many there are (entries further left are whatever the client sent, so never trusted).
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

USERNAME_MAX_LENGTH = 255  # django-axes' columns
# Where ClientAddressMiddleware leaves the address it found, so that it is worked out once.
CLIENT_ADDRESS_KEY = "reintegration.client_address"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``): the socket's, or the entry of
    ``X-Forwarded-For`` our ``TRUSTED_PROXY_COUNT`` proxies vouch for."""
    if CLIENT_ADDRESS_KEY in request.META:
        return request.META[CLIENT_ADDRESS_KEY]
    socket_address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return socket_address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return socket_address  # not through our proxies as configured: do not trust the header
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return socket_address


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username as typed (``AXES_USERNAME_CALLABLE``), cut to the width of axes' columns:
    a very long one is a failed attempt like any other, not a database error."""
    data = credentials or getattr(request, "data", request.POST)
    username = data.get(settings.AXES_USERNAME_FORM_FIELD) if data else None
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a limit of its own for each lockout parameter.

    Written for ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``, in
    that order (``reintegration.settings``).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures counted against the one limit axes knows (``AXES_FAILURE_LIMIT``).

        Username + address counts as it is; the address's count is scaled to that limit,
        rounding down, so that it reaches it exactly when the address's own count reaches
        ``LOGIN_FAILURE_LIMIT_PER_ADDRESS``.
        """
        base = get_failure_limit(request, credentials)
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(pair, address * base // settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On a successful sign-in: forget this username's failures from this address only."""
        attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = attempts.delete()
        return count
