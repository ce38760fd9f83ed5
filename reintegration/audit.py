"""The sign-in audit log (``AuthEvent``): every login, failure, lockout, sign-out and
second-factor event, with the client's address as the lockout reads it.

Django's and django-axes' signals record the password side (connected in
``ReintegrationConfig.ready``); ``reintegration.second_factor`` records the codes. Nothing here
ever sees a password or a code: Django's ``user_login_failed`` hands over credentials with the
password already masked, and only the username is kept.
"""

from __future__ import annotations

from django.http import HttpRequest

from reintegration.choices import AuthEventKind
from reintegration.lockout import client_ip
from reintegration.models import AuthEvent, User

USERNAME_WIDTH = AuthEvent._meta.get_field("username").max_length


def auth_event_record(
    *,
    kind: AuthEventKind,
    request: HttpRequest | None,
    user: User | None = None,
    username: str | None = None,
    by: User | None = None,
) -> AuthEvent:
    """Record one event; ``username`` defaults to the user's, and is cut to the column's width."""
    if username is None:
        username = user.get_username() if user is not None else ""
    address = client_ip(request) if request is not None else None
    return AuthEvent.objects.create(
        user=user,
        username=str(username)[:USERNAME_WIDTH],
        kind=kind,
        ip_address=address or None,
        by=by,
    )


def on_logged_in(sender, request, user, **kwargs) -> None:
    auth_event_record(kind=AuthEventKind.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        auth_event_record(kind=AuthEventKind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username")
    auth_event_record(
        kind=AuthEventKind.LOGIN_FAILED,
        request=request,
        username=username if isinstance(username, str) else "",
    )


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    auth_event_record(
        kind=AuthEventKind.LOCKED_OUT,
        request=request,
        username=username if isinstance(username, str) else "",
    )


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="reintegration.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="reintegration.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="reintegration.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="reintegration.audit.locked_out")
