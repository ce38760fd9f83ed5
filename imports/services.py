"""Writes on imports: a file uploaded (and its check started), its import started."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from distributions.models import Event
from imports.choices import ImportKind, ImportStatus, OnExisting, OnProbable
from imports.jobs import CHECK, IMPORT
from imports.models import ImportBatch
from imports.reading import file_type
from imports.storage import local_copy
from jobs.services import job_start
from reintegration.models import Centre, User
from reintegration.uploads import display_name


def fingerprint(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def already_imported(*, kind: str, centre: Centre, fingerprint_: str) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(kind=kind, centre=centre, fingerprint=fingerprint_, status=ImportStatus.IMPORTED)
        .select_related("uploaded_by")
        .first()
    )


@transaction.atomic
def import_upload(*, by: User, kind: str, centre: Centre, upload, encoding: str = "auto", event=None) -> ImportBatch:
    """Keep the file and start its check. A coordinator imports into their own centre only."""
    if not (by.is_hq or (by.is_coordinator and by.centre_id == centre.pk)):
        raise PermissionDenied
    if kind == ImportKind.HANDOVERS and event is None:
        raise ValidationError({"event": _("Choose the event these handovers took place at.")})
    if event is not None and not Event.objects.visible_to(by).filter(pk=event.pk).exists():
        raise PermissionDenied
    if upload.size > settings.IMPORT_MAX_BYTES:  # refused before anything is read or stored
        raise ValidationError(
            {
                "file": _("This file is %(size)s; the limit is %(limit)s: split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
            }
        )
    digest = fingerprint(upload)
    earlier = already_imported(kind=kind, centre=centre, fingerprint_=digest)
    if earlier is not None:
        raise ValidationError(
            {
                "file": _(
                    "This very file was already imported (%(number)s, on %(date)s): "
                    "importing it again would change nothing."
                )
                % {"number": earlier.number, "date": earlier.imported_at.strftime("%d/%m/%Y")}
            }
        )
    batch = ImportBatch(
        kind=kind,
        centre=centre,
        event=event,
        uploaded_by=by,
        original_name=display_name(upload.name, _kept_suffix(upload.name))[:200],
        encoding=encoding,
        fingerprint=digest,
    )
    batch.file.save("upload", upload, save=False)
    with local_copy(batch.file) as path:
        try:
            batch.file_type = file_type(path)
        except ValidationError as error:
            batch.file.delete(save=False)
            raise ValidationError({"file": error.messages}) from None
    batch.save()
    batch.check_job = job_start(kind=CHECK, by=by, scope=centre, params={"batch": batch.pk, "about": batch.number})
    batch.save(update_fields=["check_job", "updated_at"])
    return batch


@transaction.atomic
def import_confirm(*, batch: ImportBatch, by: User, on_existing: str, on_probable: str) -> ImportBatch:
    """Start the import of a checked file, with the importer's choices for the rows already
    registered and the possible duplicates. One import per file: a second confirmation finds it started."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not locked.writable_by(by):
        raise PermissionDenied
    if not locked.importable:
        raise ValidationError(_("This file cannot be imported as it is: see its check."))
    if on_existing not in OnExisting.values or on_probable not in OnProbable.values:
        raise ValidationError(_("Choose what to do with the rows already registered and the possible duplicates."))
    locked.on_existing, locked.on_probable, locked.status = on_existing, on_probable, ImportStatus.IMPORTING
    locked.import_job = job_start(
        kind=IMPORT, by=by, scope=locked.centre, params={"batch": locked.pk, "about": locked.number}
    )
    locked.save(update_fields=["on_existing", "on_probable", "status", "import_job", "updated_at"])
    return locked


def _kept_suffix(name: str) -> str:
    """The name shown keeps a spreadsheet's extension (an .xlsx is told from a .csv)."""
    suffix = Path(name or "").suffix.lower()
    return suffix if suffix in (".xlsx", ".csv") else ""
