"""A create form sent twice makes one record.

Every form that creates something carries a one-time token (``{% submission_token %}`` in the
template). The view, decorated with ``@submitted_once``, claims the token in the same transaction
as everything it writes. A second copy of the form — a double click, a request retried on a slow
line — either waits on the claim (the first is still running) or finds it made, and is sent where
the first one went, never creating a copy. The claim is kept only when the view answered with a
redirect (the record was made); a form sent back with errors frees its token for the next try.
"""

from __future__ import annotations

import datetime
import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from reintegration.models import Submission

FIELD = "submission"
KEPT_FOR = datetime.timedelta(days=2)


def token_from(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def token_for_form(request: HttpRequest) -> uuid.UUID:
    """The token a form's page carries: the one it was sent with if it comes back with errors."""
    return (token_from(request) if request.method == "POST" else None) or uuid.uuid4()


def _made(response: HttpResponse) -> str:
    """Where the view sent the user once it had made its record; '' when it did not."""
    if "HX-Redirect" in response:
        return response["HX-Redirect"]
    if isinstance(response, HttpResponseRedirect):
        return response["Location"]
    return ""


def submitted_once(view):
    """Make a create view safe to receive the same form twice (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = token_from(request) if request.method == "POST" else None
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # Blocks while another request holding the same token is still running.
                    Submission.objects.create(token=token, user=request.user)
            except IntegrityError:
                return _already_sent(request, token)
            response = view(request, *args, **kwargs)
            url = _made(response)
            if url:
                Submission.objects.filter(token=token).update(url=url[:500])
            else:
                Submission.objects.filter(token=token).delete()
        return response

    return wrapper


def _already_sent(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    earlier = Submission.objects.get(token=token)
    if earlier.user_id != request.user.pk:
        raise SuspiciousOperation("A form token sent by another user")
    messages.info(request, _("This form had already been sent: here is what it saved."))
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = earlier.url
        return response
    return HttpResponseRedirect(earlier.url)


def prune(now: datetime.datetime | None = None) -> int:
    """Forget tokens older than ``KEPT_FOR``: no browser retries a form two days later."""
    deleted, _ = Submission.objects.filter(sent_at__lt=(now or timezone.now()) - KEPT_FOR).delete()
    return deleted
