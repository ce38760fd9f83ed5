from django.db.models import QuerySet

from imports.choices import ImportStatus
from imports.models import ImportBatch
from jobs.choices import JobStatus
from reintegration.models import User
from reintegration.scoping import get_for_user


def import_list_for_user(*, user: User) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.visible_to(user).select_related("centre", "uploaded_by", "check_job", "import_job")


def import_get_for_user(*, user: User, pk: int, write: bool = False) -> ImportBatch:
    """One import: out of scope is a 404; ``write=True`` a 403 for one who may only see it."""
    batch = get_for_user(import_list_for_user(user=user).select_related("event__province"), user, pk, write=write)
    _after_a_stopped_import(batch)
    return batch


def _after_a_stopped_import(batch: ImportBatch) -> None:
    """An import whose job ended without success (cancelled, failed, its worker killed) wrote
    nothing: the file is back to checked, ready to be imported again."""
    job = batch.import_job
    if (
        batch.status == ImportStatus.IMPORTING
        and job is not None
        and job.finished
        and job.status != JobStatus.SUCCEEDED
    ):
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING).update(status=ImportStatus.CHECKED)
        batch.status = ImportStatus.CHECKED
