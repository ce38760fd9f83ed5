"""The second factor: TOTP codes from an authenticator app, and recovery codes (django-otp).

Who: program officers, analysts and administrators, where ``REQUIRE_SECOND_FACTOR`` is on
(production; ``User.needs_second_factor``). They read every centre's case files or figures, or
every account: a stolen HQ password opens the whole country. Coordinators are not asked: they
work on shared centre computers, often without a phone of their own at work, and a lost phone
would lock a centre out of its own people; their reach is one centre. Making them enrol later is
one word in ``SECOND_FACTOR_ROLES``.

The flow: a password sign-in leaves the session unverified; ``SecondFactorMiddleware`` sends
every page to ``otp_verify`` until a code is accepted, which sends a user with no confirmed app
to ``otp_enrol`` first (a QR code, the secret as text, a first code, then ten recovery codes
shown once). django-otp throttles wrong codes per device (1 s, 2 s, 4 s...). Every accepted or
refused code, each enrolment and each reset is an ``AuthEvent``; no code is ever stored in it.
"""

from __future__ import annotations

import base64
import re

import segno
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reintegration.audit import auth_event_record
from reintegration.choices import AuthEventKind
from reintegration.models import User

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "default"
_TOTP_CODE = re.compile(r"^[0-9]{6}$")


class CodeRefused(Exception):
    """The code was wrong, or came too soon after wrong ones (``throttled``)."""

    def __init__(self, *, throttled: bool = False):
        super().__init__("throttled" if throttled else "wrong code")
        self.throttled = throttled


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up: the same one on every visit to the enrolment page,
    so that a reload shows the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no image request, nothing sent elsewhere)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def normalise_code(raw: str) -> str:
    """What people type: spaces and dashes dropped, lower case (recovery codes are base32)."""
    return re.sub(r"[\s-]", "", raw or "").lower()


def _check(device, code: str, *, request: HttpRequest, user: User) -> CodeRefused | None:
    """``None`` if ``device`` takes ``code``; else the refusal, recorded. Returned rather than
    raised, so that the caller's transaction keeps django-otp's throttle count and the record."""
    allowed, _info = device.verify_is_allowed()
    if allowed and device.verify_token(code):
        return None
    auth_event_record(kind=AuthEventKind.OTP_FAILED, request=request, user=user)
    return CodeRefused(throttled=not allowed)


def second_factor_enrol(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the pending app with its first code, mark this session verified, and return the
    new recovery codes (shown once; any earlier ones are replaced). Raises ``CodeRefused``."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=totp_device_pending(user=user).pk)
        refused = _check(device, code, request=request, user=user)
        if refused is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            StaticDevice.objects.filter(user=user).delete()
            recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
            auth_event_record(kind=AuthEventKind.OTP_ENROLLED, request=request, user=user)
    if refused is not None:
        raise refused
    otp_login(request, device)
    return codes


def second_factor_verify(*, request: HttpRequest, user: User, code: str) -> None:
    """Accept a six-digit code from the app or a recovery code (used up), and mark this session
    verified. Raises ``CodeRefused`` (recorded, and counted by django-otp's throttle)."""
    is_totp = bool(_TOTP_CODE.match(code))
    model = TOTPDevice if is_totp else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:  # e.g. a recovery code from a user who has none left
            auth_event_record(kind=AuthEventKind.OTP_FAILED, request=request, user=user)
            refused = CodeRefused()
        else:
            refused = _check(device, code, request=request, user=user)
        if refused is None:
            kind = AuthEventKind.OTP_VERIFIED if is_totp else AuthEventKind.RECOVERY_CODE_USED
            auth_event_record(kind=kind, request=request, user=user)
    if refused is not None:
        raise refused
    otp_login(request, device)


def second_factor_reset(*, request: HttpRequest, user: User, by: User) -> int:
    """An administrator removes a user's app and recovery codes (a lost phone): the user sets up
    a new app at the next sign-in. Returns how many devices were removed."""
    if not by.is_administrator:
        raise PermissionDenied("Only an administrator may reset a second factor.")
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        removed += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
        auth_event_record(kind=AuthEventKind.OTP_RESET, request=request, user=user, by=by)
    return removed
