"""A spreadsheet brought into the system: the file as uploaded, its check, and its import."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imports.choices import Encoding, ImportKind, ImportStatus, OnExisting, OnProbable
from reintegration.models import TimeStampedModel
from reintegration.scoping import ScopedQuerySet


def upload_path(batch: ImportBatch, filename: str) -> str:
    """Under the private media, with a random name (the original often names a person)."""
    return f"imports/{uuid.uuid4().hex}.{batch.file_type or 'bin'}"


class ImportBatchQuerySet(ScopedQuerySet):
    def _scoped(self, user) -> ImportBatchQuerySet:
        """HQ sees every import; a coordinator the imports into their centre."""
        if user.is_hq:
            return self.all()
        if user.is_coordinator and user.centre_id:
            return self.filter(centre_id=user.centre_id)
        return self.none()


class ImportBatch(TimeStampedModel):
    """One uploaded file, checked (a dry run: ``check_job``), then imported (``import_job``).

    ``fingerprint`` is the SHA-256 of the file's bytes: the same file imported a second time into
    the same centre is recognised at upload (the unique constraint), and natural keys (the CIN, or
    the names and date of birth) make a re-saved copy change nothing either. ``report`` holds the
    check's counts and its first problems, in the language of the person who started it.
    """

    kind = models.CharField(_("what the file holds"), max_length=20, choices=ImportKind.choices)
    centre = models.ForeignKey(
        "reintegration.Centre", on_delete=models.PROTECT, related_name="imports", verbose_name=_("centre")
    )
    event = models.ForeignKey(
        "distributions.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("event"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=4)  # "xlsx" or "csv", read from the bytes
    encoding = models.CharField(_("encoding"), max_length=10, choices=Encoding.choices, default=Encoding.AUTO)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    on_existing = models.CharField(
        _("when a row's person already has a case file"),
        max_length=10,
        choices=OnExisting.choices,
        default=OnExisting.REPORT,
    )
    on_probable = models.CharField(
        _("when a row's person probably has a case file (same date of birth, close name)"),
        max_length=10,
        choices=OnProbable.choices,
        default=OnProbable.SKIP,
    )
    report = models.JSONField(_("check report"), default=dict, blank=True)
    result = models.JSONField(_("import result"), default=dict, blank=True)
    check_job = models.OneToOneField(
        "jobs.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("check")
    )
    import_job = models.OneToOneField(
        "jobs.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("import")
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "centre", "fingerprint"],
                condition=Q(status="imported"),
                name="import_file_imported_once",
                violation_error_message=_("This file has already been imported."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    @property
    def number(self) -> str:
        return f"I-{self.pk:06d}" if self.pk else ""

    @property
    def problem_count(self) -> int:
        return int(self.report.get("problem_count", 0))

    @property
    def importable(self) -> bool:
        """Checked without a problem, with something to write, and not imported yet."""
        return (
            self.status == ImportStatus.CHECKED
            and not self.problem_count
            and bool(self.report.get("counts", {}).get("rows"))
        )

    def writable_by(self, user) -> bool:
        return user.is_hq or (user.is_coordinator and user.centre_id == self.centre_id)
