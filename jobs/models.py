"""A background job: long work a user started, followed on its own page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.choices import FINISHED, JobStatus
from jobs.registry import KINDS, personal_kinds
from reintegration.models import TimeStampedModel
from reintegration.scoping import ScopedQuerySet


def result_path(job: Job, filename: str) -> str:
    """Under the private media, by job: the file has no public URL (``jobs.views.job_download``)."""
    return f"jobs/{job.pk}/{filename}"


class JobQuerySet(ScopedQuerySet):
    def _scoped(self, user) -> JobQuerySet:
        """HQ (officers, administrators) sees every job, but for the personal kinds' (an
        administrator's export, with full CINs) which only their starter and administrators see;
        anyone else the jobs they started and, for a coordinator, the jobs about their centre."""
        mine = models.Q(started_by=user)
        if user.is_administrator:
            return self.all()
        if user.is_hq:
            return self.filter(mine | ~models.Q(kind__in=personal_kinds()))
        if user.is_coordinator and user.centre_id:
            mine |= models.Q(centre_id=user.centre_id)
        return self.filter(mine)


class Job(TimeStampedModel):
    """One run of a job kind (``jobs.registry``): who started it, what it concerns, how far it is.

    ``centre`` is the scope of the data it touches (None: several centres, or none, so HQ only
    besides its starter). ``params`` are what the kind needs to run (ids, never personal data).
    """

    kind = models.CharField(_("kind"), max_length=50)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("started by")
    )
    centre = models.ForeignKey(
        "reintegration.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("centre"),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    heartbeat_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.FileField(_("result"), upload_to=result_path, blank=True)
    result_name = models.CharField(_("result file name"), max_length=150, blank=True)
    error = models.TextField(_("error"), blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_within_total",
                violation_error_message=_("A job cannot have done more than its total."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} #{self.pk}"

    @property
    def label(self) -> str:
        """What the job is, and what it is about when its kind says (``params["about"]``)."""
        kind = KINDS.get(self.kind)
        label = str(kind.label) if kind else self.kind
        about = self.params.get("about") if isinstance(self.params, dict) else None
        return f"{label}: {about}" if about else label

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def writable_by(self, user) -> bool:
        """Who may cancel it: its starter, an administrator, the coordinator of its centre."""
        return (
            user.pk == self.started_by_id
            or user.is_administrator
            or (user.is_coordinator and self.centre_id is not None and user.centre_id == self.centre_id)
        )


class Worker(models.Model):
    """A running jobs' worker process, as it last reported (``jobs_worker`` beats every
    ``JOB_WORKER_BEAT`` seconds and removes its row on leaving): the health check and the
    metrics tell from it whether any worker is taking jobs."""

    name = models.CharField(_("name"), max_length=200, unique=True)  # host:pid
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last heard of"), db_index=True)

    def __str__(self) -> str:
        return self.name
