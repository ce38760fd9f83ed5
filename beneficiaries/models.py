"""Case files of people released from prison, and what the centre does with them.

No offence details are collected: the work does not need them.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries import names
from beneficiaries.choices import (
    ActionKind,
    CaseStatus,
    CinLookupKind,
    DocumentKind,
    DuplicateDecision,
    DuplicateSource,
    EducationLevel,
    FamilySituation,
    ReleaseType,
    Sex,
    TransferStatus,
    ViewedPage,
)
from beneficiaries.cin import mask_cin
from reintegration.i18n import localized
from reintegration.models import Centre, Program, Province, TimeStampedModel, User
from reintegration.phones import format_phone
from reintegration.scoping import ScopedQuerySet
from reintegration.uploads import stored_name

MIN_AGE, MAX_AGE = 15, 100


def validate_case_dates(case: Beneficiary) -> dict[str, str]:
    """The date rules of a case file, as field → message (empty when all hold)."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    birth, release = case.birth_date, case.release_date
    if birth:
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if birth > today:
            errors["birth_date"] = _("The date of birth cannot be in the future.")
        elif not MIN_AGE <= age <= MAX_AGE:
            errors["birth_date"] = _("This date of birth gives an age of %(age)s: check the year.") % {"age": age}
    if release:
        if release > today:
            errors["release_date"] = _("The release date cannot be in the future.")
        elif birth and release <= birth:
            errors["release_date"] = _("The release date must come after the date of birth.")
    for field in ("notice_given_on", "consent_signed_on"):
        value = getattr(case, field)
        if value and value > today:
            errors[field] = _("This date cannot be in the future.")
    if case.notice_given_on and case.consent_signed_on and case.consent_signed_on < case.notice_given_on:
        errors.setdefault("consent_signed_on", _("Consent is signed after the information notice is given."))
    return errors


# The four names, in the order duplicate checks compare them (kept with the search keys they make).
NAME_FIELDS = names.NAME_FIELDS


def holding_any_cin(cins) -> Q:
    """A file holding one of ``cins``, found through the CIN index. That index holds filled CINs
    only (``beneficiary_cin_unique``), and PostgreSQL sees that a list of more than 100 CINs falls
    within it only when the condition says so too: a sheet's chunk of 500 CINs without it read
    the whole table, 60-80 ms a chunk on 200,000 files, against 1 ms."""
    return Q(cin__in=cins) & ~Q(cin="")


class BeneficiaryQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> BeneficiaryQuerySet:
        if user.is_coordinator:
            return self.filter(centre_id=user.centre_id)
        if user.is_hq:
            return self
        return self.none()  # analysts: aggregates only, through reports.selectors

    def with_list_columns(self) -> BeneficiaryQuerySet:
        return self.select_related("province", "centre", "program", "duplicate_flag")

    def holding_cins(self, cins) -> BeneficiaryQuerySet:
        return self.filter(holding_any_cin(cins))


class Beneficiary(TimeStampedModel):
    """A person's case file, opened by a regional centre after release."""

    # Identity
    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100)
    first_name_latin = models.CharField(_("first name (Latin script)"), max_length=100)
    last_name_latin = models.CharField(_("last name (Latin script)"), max_length=100)
    cin = models.CharField(
        _("CIN"),
        max_length=10,
        blank=True,
        help_text=_("National ID card number, e.g. AB123456. Leave empty if the person has none yet."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    # The example has no spaces: in Arabic text, space-separated digit groups would display in reverse.
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("e.g. 0612345678"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province of residence"), on_delete=models.PROTECT, related_name="+"
    )
    # Release
    establishment = models.CharField(_("prison establishment"), max_length=200)
    release_date = models.DateField(_("release date"))
    release_type = models.CharField(_("release type"), max_length=20, choices=ReleaseType.choices)
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Education, skills, family
    education_level = models.CharField(_("education level"), max_length=20, choices=EducationLevel.choices, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    family_situation = models.CharField(
        _("family situation"), max_length=20, choices=FamilySituation.choices, blank=True
    )
    dependants = models.PositiveSmallIntegerField(_("dependants"), default=0)
    # Consent (law 09-08)
    notice_given_on = models.DateField(_("information notice given on"))
    consent_signed_on = models.DateField(_("consent signed on"))
    # Ownership and life cycle
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("registered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Derived from the names on every save (see beneficiaries.names); never shown.
    search_text = models.TextField(editable=False, default="")

    objects = BeneficiaryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        ordering = ["last_name_latin", "first_name_latin", "id"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        constraints = [
            models.UniqueConstraint(
                fields=["cin"],
                condition=~Q(cin=""),
                name="beneficiary_cin_unique",
                violation_error_message=_("A case file with this CIN already exists."),
            ),
            models.CheckConstraint(
                name="beneficiary_release_after_birth",
                condition=Q(release_date__gt=models.F("birth_date")),
                violation_error_message=_("The release date must come after the date of birth."),
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status"], name="beneficiary_centre_status"),
            models.Index(fields=["province"], name="beneficiary_province"),
            models.Index(fields=["release_date"], name="beneficiary_release_date"),
            models.Index(fields=["birth_date"], name="beneficiary_birth_date"),
            models.Index(fields=["last_name_latin", "first_name_latin", "id"], name="beneficiary_name_order"),
            models.Index(fields=["last_name_ar", "first_name_ar", "id"], name="beneficiary_name_ar_order"),
            models.Index(fields=["-created_at"], name="beneficiary_created"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        super().clean()
        errors = validate_case_dates(self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.search_text = names.case_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        """The file number staff quote on the phone: ``D-000123``."""
        return f"D-{self.pk:06d}" if self.pk else ""

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    @property
    def full_name_latin(self) -> str:
        return f"{self.first_name_latin} {self.last_name_latin.upper()}".strip()

    @property
    def full_name(self) -> str:
        return localized(self.full_name_ar, self.full_name_latin)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def initials(self) -> str:
        """``M. A.`` — all a public page may show of a person."""
        return " ".join(f"{part[0].upper()}." for part in (self.first_name_latin, self.last_name_latin) if part)

    def cin_for(self, user: User) -> str:
        return self.cin if user.sees_full_cin else mask_cin(self.cin)

    def writable_by(self, user: User) -> bool:
        if self.status == CaseStatus.ARCHIVED or self.anonymised_at:
            return False
        if user.is_administrator:
            return True
        return user.is_coordinator and user.centre_id == self.centre_id

    def transferable_by(self, user: User) -> bool:
        """The centre holding the case, or HQ, may ask to move it; an archived or anonymised case stays put."""
        return self.writable_by(user) or (user.is_hq and self.status != CaseStatus.ARCHIVED and not self.anonymised_at)

    @property
    def standing_duplicate_flag(self) -> DuplicateFlag | None:
        """The possible-duplicate flag that still stands on this file (waiting for HQ, or found to
        be the same person as an earlier file); None when there is none, or it was cleared."""
        try:
            flag = self.duplicate_flag
        except ObjectDoesNotExist:
            return None
        return flag if flag.blocks_funding else None

    @property
    def name_tuple(self) -> tuple[str, str, str, str]:
        return tuple(getattr(self, name) for name in NAME_FIELDS)


class Training(models.Model):
    """A training or qualification obtained in prison."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("training"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    certificate = models.BooleanField(_("certificate obtained"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


def _document_path(document: Document, filename: str) -> str:
    return f"cases/{document.beneficiary_id}/{stored_name(filename)}"


class Document(models.Model):
    """A scanned document in a case file: stored outside static/, served only by a scoped view."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"


class AccompanimentAction(TimeStampedModel):
    """One thing the centre did with or for the person: the accompaniment log."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    date = models.DateField(_("date"))
    description = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("accompaniment action")
        verbose_name_plural = _("accompaniment actions")
        indexes = [models.Index(fields=["beneficiary", "-date"], name="action_beneficiary_date")]
        constraints = [
            models.CheckConstraint(
                name="action_next_step_after_action",
                condition=Q(next_step_on__isnull=True) | Q(next_step_on__gte=models.F("date")),
                violation_error_message=_("The next step cannot come before the action."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.date}"


class DuplicateFlag(models.Model):
    """A case file that may be a second file of someone already registered, until HQ decides.

    Raised when a registration goes ahead over a duplicate warning (with the reason given), or by
    the duplicate scan. "Same person" closes this later file and links it to the earlier one, its
    history kept; while the flag waits, and once the person is found to be the same, no project of
    this file can be funded (``projects.services.commitment_create``).
    """

    beneficiary = models.OneToOneField(Beneficiary, on_delete=models.CASCADE, related_name="duplicate_flag")
    candidates = models.ManyToManyField(Beneficiary, related_name="+", verbose_name=_("probable duplicates"))
    source = models.CharField(
        _("raised by"), max_length=12, choices=DuplicateSource.choices, default=DuplicateSource.REGISTRATION
    )
    reason = models.TextField(_("why registered anyway"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=DuplicateDecision.choices, default=DuplicateDecision.PENDING
    )
    same_as = models.ForeignKey(
        Beneficiary, verbose_name=_("same person as"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        indexes = [models.Index(fields=["decision"], name="duplicate_flag_decision")]
        constraints = [
            models.CheckConstraint(
                name="duplicate_flag_same_names_the_earlier_file",
                condition=Q(decision=DuplicateDecision.SAME, same_as__isnull=False)
                | (~Q(decision=DuplicateDecision.SAME) & Q(same_as__isnull=True)),
            )
        ]

    def __str__(self) -> str:
        return str(self.beneficiary_id)

    @property
    def is_pending(self) -> bool:
        return self.decision == DuplicateDecision.PENDING

    @property
    def blocks_funding(self) -> bool:
        return self.decision != DuplicateDecision.DIFFERENT


class TransferQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> TransferQuerySet:
        if user.is_coordinator:
            return self.filter(Q(from_centre_id=user.centre_id) | Q(to_centre_id=user.centre_id))
        return self if user.is_hq else self.none()

    def awaiting_decision_by(self, user: User) -> TransferQuerySet:
        """Pending transfers this user answers (see ``Transfer.decidable_by``): HQ any, a centre those coming to it."""
        pending = self.visible_to(user).filter(status=TransferStatus.PENDING)
        return pending if user.is_hq else pending.filter(to_centre_id=user.centre_id)


class Transfer(models.Model):
    """A case file moving from one centre to another when the person moves."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="transfers")
    from_centre = models.ForeignKey(
        Centre, verbose_name=_("from centre"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_centre = models.ForeignKey(
        Centre, verbose_name=_("to centre"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status=TransferStatus.PENDING),
                name="transfer_one_pending_per_case",
                violation_error_message=_("A transfer of this case file is already waiting for an answer."),
            ),
            models.CheckConstraint(
                name="transfer_between_two_centres",
                condition=~Q(from_centre=models.F("to_centre")),
                violation_error_message=_("Choose a centre other than the current one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_centre} → {self.to_centre}"

    def decidable_by(self, user: User) -> bool:
        """The receiving centre or HQ answers a pending transfer."""
        if self.status != TransferStatus.PENDING:
            return False
        return user.is_hq or (user.is_coordinator and user.centre_id == self.to_centre_id)

    def cancellable_by(self, user: User) -> bool:
        if self.status != TransferStatus.PENDING:
            return False
        return user.is_hq or (user.is_coordinator and user.centre_id == self.from_centre_id)


class CaseView(models.Model):
    """Who opened which case file, when: the access log administrators read."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)
    page = models.CharField(max_length=10, choices=ViewedPage.choices, default=ViewedPage.CASE)
    document = models.ForeignKey("Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["beneficiary", "-viewed_at"], name="caseview_beneficiary")]
        verbose_name = _("case file view")
        verbose_name_plural = _("case file views")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.viewed_at:%Y-%m-%d %H:%M}"


class CaseExport(models.Model):
    """A CSV export of case files: who, when, which filters, how many rows."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(auto_now_add=True)
    filters = models.CharField(max_length=500, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-exported_at"]
        verbose_name = _("case file export")
        verbose_name_plural = _("case file exports")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.exported_at:%Y-%m-%d %H:%M} ({self.rows})"


class CinLookup(models.Model):
    """A CIN looked up: who, when, where (a duplicate check, a case file's CIN, a search, an
    export), and whether it was refused for going over the user's budget.

    Never the number itself: ``cin_hash`` is its keyed hash (``beneficiaries.cin.cin_digest``),
    enough for an audit to ask whether a given number was looked up, and by whom (the admin's
    search hashes the number typed), and useless without the key.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    looked_up_at = models.DateTimeField(_("looked up at"), auto_now_add=True)
    kind = models.CharField(_("where"), max_length=20, choices=CinLookupKind.choices)
    cin_hash = models.CharField(_("keyed hash of the CIN"), max_length=64)
    refused = models.BooleanField(_("refused (too many lookups)"), default=False)

    class Meta:
        ordering = ["-looked_up_at", "-id"]
        verbose_name = _("CIN lookup")
        verbose_name_plural = _("CIN lookups")
        indexes = [
            models.Index(fields=["cin_hash"], name="cinlookup_hash"),
            models.Index(fields=["user", "-looked_up_at"], name="cinlookup_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.looked_up_at:%Y-%m-%d %H:%M}"
