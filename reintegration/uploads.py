"""Checks every uploaded file passes, whatever it is attached to.

The type is read from the file's first bytes, not from its name or the
browser's claim, so a renamed executable is refused.
"""

import uuid
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

SCANS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
PHOTOS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def stored_name(filename: str) -> str:
    """A random file name keeping only the extension: the original (often a person's name) stays in the database."""
    return f"{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def photo_path(photo, filename: str) -> str:
    return f"{photo.upload_folder}/{stored_name(filename)}"


def check_upload(upload, *, allowed: dict[str, str] = SCANS) -> str:
    """Validate size and real content type; returns the content type."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    position = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(2048)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        names = ", ".join(sorted(ext.lstrip(".").upper() for ext in set(allowed.values())))
        raise ValidationError(_("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": names}, code="type")
    return kind.mime


def check_photo(upload) -> str:
    """``check_upload`` for photos, the error placed on the form's ``image`` field."""
    try:
        return check_upload(upload, allowed=PHOTOS)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error


def delete_file_on_commit(stored) -> None:
    """Remove a stored file once the transaction that stops referring to it has committed."""
    if stored:
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
