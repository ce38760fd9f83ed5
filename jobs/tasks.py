"""The one task every job runs through: it finds the job's kind and runs it, and records how it ended."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jobs.choices import JobStatus
from jobs.compat import task
from jobs.models import Job
from jobs.registry import kind_get
from jobs.services import JobCancelled, job_begin, job_finish, job_succeed, language_of

logger = logging.getLogger(__name__)


@task()
def job_run(job_id: int) -> str:
    """Run a job (``jobs.registry``) in its starter's language, so its messages are theirs."""
    job = Job.objects.select_related("started_by").get(pk=job_id)
    if not job_begin(job):
        return job.status
    with translation.override(language_of(job.started_by)):
        try:
            kind_get(job.kind).run(job)
        except JobCancelled:
            job_finish(job, status=JobStatus.CANCELLED)
        except ValidationError as error:
            job_finish(job, status=JobStatus.FAILED, error=" ".join(error.messages))
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            message = _("The job stopped on an unexpected error. Nothing it was doing was saved: try again.")
            job_finish(job, status=JobStatus.FAILED, error=message)
        else:
            _succeed_without_result(job)
    return Job.objects.values_list("status", flat=True).get(pk=job_id)


def _succeed_without_result(job: Job) -> None:
    """A kind that ends without calling ``job_succeed`` (it writes no file) has succeeded."""
    if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists():
        try:
            with transaction.atomic():
                job_succeed(job)
        except JobCancelled:
            job_finish(job, status=JobStatus.CANCELLED)
