"""The two jobs of an import: its check (a dry run, with the marked copy of the file as result)
and the import itself (everything written in one transaction, or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports import engine
from imports.choices import ImportStatus
from imports.kinds import kind_for
from imports.models import ImportBatch
from imports.storage import local_copy, scratch_file
from jobs.heartbeat import heartbeat
from jobs.models import Job
from jobs.registry import register
from jobs.services import job_progress, job_succeed

CHECK, IMPORT = "import_check", "import_write"


def check_run(job: Job) -> None:
    batch = ImportBatch.objects.select_related("centre", "uploaded_by").get(pk=job.params["batch"])
    with local_copy(batch.file, f".{batch.file_type}") as path, scratch_file("marked.xlsx") as marked:
        try:
            report = engine.run(
                batch, kind_for(batch), path, progress=lambda done, total: job_progress(job, done, total), marked=marked
            )
        except ValidationError as error:  # the file cannot be read: say why on the import's page
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.FAILED, report={"file_error": " ".join(error.messages)}
            )
            raise
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKED, report=report.as_json())
            if marked.exists():  # a row has a problem: the file again, its problems marked
                job_succeed(job, filename=f"{_('check')}-{Path(batch.original_name).stem}.xlsx", content=marked)
            else:
                job_succeed(job)


def import_run(job: Job) -> None:
    batch = ImportBatch.objects.select_related("centre", "uploaded_by").get(pk=job.params["batch"])
    try:
        with local_copy(batch.file, f".{batch.file_type}") as path, heartbeat(job) as pulse, transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportStatus.IMPORTING:
                raise ValidationError(_("This import is not waiting to be written."))
            report = engine.run(locked, kind_for(locked), path, write=True, progress=pulse.report)
            locked.status, locked.result = ImportStatus.IMPORTED, report.as_json()
            locked.imported_at = timezone.now()
            locked.save(update_fields=["status", "result", "imported_at", "updated_at"])
            job_succeed(job)
    except engine.RowsChanged:
        _back_to_checked(batch)
        raise ValidationError(
            _(
                "Some rows no longer pass the check (the data changed since): nothing was imported. "
                "Check the file again."
            )
        ) from None
    except IntegrityError:
        _back_to_checked(batch)
        raise ValidationError(
            _("Someone registered some of these people meanwhile: nothing was imported. Check the file again.")
        ) from None
    except BaseException:
        _back_to_checked(batch)
        raise


def _back_to_checked(batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING).update(status=ImportStatus.CHECKED)


# personal: the marked copy holds the file's CINs as typed (its starter and administrators only)
register(CHECK, label=gettext_lazy("Check of a sheet"), run=check_run, personal=True)
register(IMPORT, label=gettext_lazy("Import of a sheet"), run=import_run)
