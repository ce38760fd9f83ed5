"""Individual life projects, their income-generating plan, the budget envelopes that fund them,
and the follow-up visits that tell whether the grant worked."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.choices import ActionKind
from beneficiaries.models import AccompanimentAction, Beneficiary
from projects.choices import (
    CLOSED_STATUSES,
    EDITABLE_STATUSES,
    ActivityRunning,
    CommitmentStatus,
    ProjectStatus,
    Unit,
)
from reintegration.i18n import localized
from reintegration.models import (
    BilingualNameModel,
    Partner,
    Photo,
    Program,
    Province,
    Region,
    TimeStampedModel,
    User,
)
from reintegration.scoping import ScopedQuerySet
from reintegration.uploads import stored_name

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}


# --- Reference lists ------------------------------------------------------------


class Sector(BilingualNameModel):
    """A sector of activity: commerce, construction, food, crafts, agriculture, services."""

    code = models.SlugField(_("short code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Trade(BilingualNameModel):
    """A trade within a sector: bakery, men's barber, zellige tiling..."""

    code = models.SlugField(_("short code"), max_length=40, unique=True)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="trades")

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")


class StandardKit(BilingualNameModel):
    """The usual equipment for a trade (a bakery kit...), which prefills a plan.

    A kit may fit several trades (the sewing kit serves leatherwork too). The plan editor
    offers the project's trade's kits first, and warns when another trade's kit is added.
    """

    trades = models.ManyToManyField(
        Trade, verbose_name=_("trades"), related_name="kits", help_text=_("The trades whose projects this kit fits.")
    )

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("standard kit")
        verbose_name_plural = _("standard kits")


class ItemNames(models.Model):
    """An item's name in French and in Arabic: a receipt is signed by people who read either.

    ``item_ar`` may be empty on lines typed before items had an Arabic name; forms ask for both.
    """

    item_fr = models.CharField(_("item in French"), max_length=200)
    item_ar = models.CharField(_("item in Arabic"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.item

    @property
    def item(self) -> str:
        """The name in the active language, else the other one."""
        return localized(self.item_ar, self.item_fr)

    @property
    def item_in_arabic(self) -> str:
        """The Arabic name, or the French one on a line typed before items had both."""
        return self.item_ar or self.item_fr


class KitLine(ItemNames):
    kit = models.ForeignKey(StandardKit, on_delete=models.CASCADE, related_name="lines")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    unit_price = models.DecimalField(_("unit price"), **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("kit line")
        verbose_name_plural = _("kit lines")


# --- Life projects ----------------------------------------------------------------


class LifeProjectQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> LifeProjectQuerySet:
        if user.is_coordinator:
            return self.filter(beneficiary__centre_id=user.centre_id)
        return self if user.is_hq else self.none()

    def active(self) -> LifeProjectQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)


class LifeProject(TimeStampedModel):
    """A person's individual life project: the diagnosis made with them after release, the goals,
    the accompaniment planned, and the income-generating project it leads to, with its workflow."""

    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("case file"), on_delete=models.PROTECT, related_name="life_projects"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    # Diagnosis: the needs found in each domain, ticked from lists, plus what the lists miss.
    social_needs = models.JSONField(_("social needs"), default=list, blank=True)
    health_needs = models.JSONField(_("health needs"), default=list, blank=True)
    administrative_needs = models.JSONField(_("administrative needs"), default=list, blank=True)
    professional_needs = models.JSONField(_("professional needs"), default=list, blank=True)
    diagnosis_notes = models.TextField(_("diagnosis notes"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    # The income-generating project (its sector is the trade's)
    trade = models.ForeignKey(Trade, verbose_name=_("trade"), on_delete=models.PROTECT, null=True, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Prefecture or province where the activity will run."),
    )
    description = models.TextField(_("project description"), blank=True)
    cash_aid = models.DecimalField(_("cash start-up aid"), **MONEY, default=ZERO, validators=[MinValueValidator(ZERO)])
    # Derived from the plan by projects.services.plan_save (one place), kept for lists and envelopes.
    equipment_total = models.DecimalField(_("equipment total"), **MONEY, default=ZERO, editable=False)
    total = models.DecimalField(_("total"), **MONEY, default=ZERO, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    # Milestones, for the dashboards: the day each step was reached, kept by the services in the
    # same transaction as the step itself (``projects.services._move``; see ``reports.indicators``).
    submitted_on = models.DateField(_("first submitted on"), null=True, blank=True, editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    funded_on = models.DateField(_("funded on"), null=True, blank=True, editable=False)
    handed_over_on = models.DateField(_("equipment handed over on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    objects = LifeProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("life project")
        verbose_name_plural = _("life projects")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="lifeproject_one_active_per_person",
                violation_error_message=_("This person already has a life project in progress."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="lifeproject_status_created"),
            models.Index(fields=["approved_on"], name="lifeproject_approved_on"),
            models.Index(fields=["funded_on"], name="lifeproject_funded_on"),
            models.Index(fields=["handed_over_on"], name="lifeproject_handed_over_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.beneficiary}"

    @property
    def number(self) -> str:
        return f"P-{self.pk:06d}" if self.pk else ""

    @property
    def is_active(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def plan_is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def writable_by(self, user: User) -> bool:
        """Who may change the diagnosis, goals and plan (while it is a draft or returned)."""
        if not self.plan_is_editable:
            return False
        return user.is_administrator or (user.is_coordinator and user.centre_id == self.beneficiary.centre_id)

    def followed_by(self, user: User) -> bool:
        """Who may record accompaniment and follow-up on an active project: the centre, or an administrator.

        Program officers read the follow-up; they do not record it.
        """
        if not self.is_active:
            return False
        return user.is_administrator or (user.is_coordinator and user.centre_id == self.beneficiary.centre_id)


class EquipmentLine(ItemNames):
    """One line of the equipment plan: item (in both languages), quantity, unit, unit price, supplier."""

    project = models.ForeignKey(LifeProject, on_delete=models.CASCADE, related_name="lines")
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(ZERO)])
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("equipment line")
        verbose_name_plural = _("equipment lines")
        constraints = [
            models.CheckConstraint(
                name="equipmentline_quantity_positive",
                condition=Q(quantity__gt=0),
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                name="equipmentline_price_not_negative",
                condition=Q(unit_price__gte=0),
                violation_error_message=_("The unit price cannot be negative."),
            ),
        ]


class ProjectTransition(models.Model):
    """One step of the workflow: who moved the project from which status to which, when and why."""

    project = models.ForeignKey(LifeProject, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(_("from"), max_length=12, choices=ProjectStatus.choices)
    target = models.CharField(_("to"), max_length=12, choices=ProjectStatus.choices)
    by = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class PlannedAction(models.Model):
    """An accompaniment action planned in the life project, linked to the log once done."""

    project = models.ForeignKey(LifeProject, on_delete=models.CASCADE, related_name="planned_actions")
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    description = models.CharField(_("action planned"), max_length=300)
    due_on = models.DateField(_("planned for"), null=True, blank=True)
    done_as = models.OneToOneField(
        AccompanimentAction,
        verbose_name=_("done as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_action",
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("planned action")
        verbose_name_plural = _("planned actions")

    def __str__(self) -> str:
        return self.description


# --- Budget envelopes and commitments ------------------------------------------------


class EnvelopeQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> EnvelopeQuerySet:
        # Amounts are aggregates: HQ and analysts see every envelope; centres none.
        return self if (user.is_hq or user.is_analyst) else self.none()

    def covering(self, province: Province) -> EnvelopeQuerySet:
        """Envelopes whose territory includes this prefecture or province."""
        national = Q(region__isnull=True, province__isnull=True)
        regional = Q(region_id=province.region_id, province__isnull=True)
        local = Q(province_id=province.pk)
        if province.parent_id:  # Casablanca's envelope covers its prefectures of arrondissements
            local |= Q(province_id=province.parent_id)
        return self.filter(national | regional | local)


def _agreement_path(envelope: Envelope, filename: str) -> str:
    return f"envelopes/{stored_name(filename)}"


class Envelope(TimeStampedModel):
    """A budget envelope: an amount for a program, a fiscal year and a territory, with its funders.

    ``committed`` and ``delivered`` are kept by the commitment services, under a row lock;
    the database refuses a committed amount above the envelope's amount.
    """

    name = models.CharField(_("name"), max_length=200)
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave region and province empty for a national envelope."),
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("prefecture or province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    committed = models.DecimalField(_("committed"), **MONEY, default=ZERO, editable=False)
    delivered = models.DecimalField(_("delivered"), **MONEY, default=ZERO, editable=False)
    agreement_partner = models.ForeignKey(
        Partner,
        verbose_name=_("agreement with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_document = models.FileField(_("signed agreement"), upload_to=_agreement_path, max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("open for new commitments"), default=True)

    objects = EnvelopeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-fiscal_year", "name"]
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")
        constraints = [
            models.CheckConstraint(
                name="envelope_one_territory",
                condition=Q(region__isnull=True) | Q(province__isnull=True),
                violation_error_message=_("Choose a region or a province, not both."),
            ),
            models.CheckConstraint(
                name="envelope_never_overcommitted",
                condition=Q(committed__lte=F("amount")),
                violation_error_message=_("The envelope cannot be smaller than what is already committed."),
            ),
            models.CheckConstraint(
                name="envelope_delivered_within_committed",
                condition=Q(delivered__lte=F("committed")),
                violation_error_message=_("Delivered amounts cannot exceed committed ones."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed

    @property
    def awaiting_delivery(self) -> Decimal:
        return self.committed - self.delivered

    @property
    def consumed_percent(self) -> int:
        return int(self.committed * 100 / self.amount) if self.amount else 0

    @property
    def near_exhaustion(self) -> bool:
        """Committed past the alert threshold (the same test as ``envelopes_near_exhaustion``)."""
        return bool(self.amount) and self.committed * 100 >= self.amount * settings.ENVELOPE_ALERT_THRESHOLD

    @property
    def territory(self) -> str:
        if self.province_id:
            return self.province.name
        if self.region_id:
            return self.region.name
        return str(_("National"))

    def covers(self, province: Province) -> bool:
        if self.province_id:
            return province.pk == self.province_id or province.parent_id == self.province_id
        if self.region_id:
            return province.region_id == self.region_id
        return True


class EnvelopeFunder(models.Model):
    """A funder's share of an envelope (the foundation, an INDH provincial committee...)."""

    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="funders")
    partner = models.ForeignKey(Partner, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(_("share"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])

    history = HistoricalRecords()

    class Meta:
        ordering = ["-share", "id"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        constraints = [
            models.UniqueConstraint(
                fields=["envelope", "partner"],
                name="envelopefunder_once_per_partner",
                violation_error_message=_("This partner is already a funder of the envelope."),
            )
        ]

    def __str__(self) -> str:
        return str(self.partner)


class Commitment(models.Model):
    """A project's cost committed against an envelope, then delivered or cancelled."""

    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="commitments")
    project = models.ForeignKey(LifeProject, on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(_("committed amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    delivered_amount = models.DecimalField(_("delivered amount"), **MONEY, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.ACTIVE
    )
    created_by = models.ForeignKey(User, verbose_name=_("committed by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("committed at"), auto_now_add=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=~Q(status=CommitmentStatus.CANCELLED),
                name="commitment_one_per_project",
                violation_error_message=_("This project is already funded."),
            )
        ]
        indexes = [models.Index(fields=["envelope", "status"], name="commitment_envelope_status")]

    def __str__(self) -> str:
        return f"{self.project_id} / {self.envelope_id}: {self.amount}"

    @property
    def counted(self) -> Decimal:
        """What this commitment takes from its envelope now."""
        if self.status == CommitmentStatus.CANCELLED:
            return ZERO
        if self.status == CommitmentStatus.DELIVERED:
            return self.delivered_amount
        return self.amount


# --- Follow-up ------------------------------------------------------------------------


class FollowUpVisit(TimeStampedModel):
    """A visit after the handover (3, 6, 12, 24 months): does the activity run, does it pay?"""

    project = models.ForeignKey(LifeProject, on_delete=models.CASCADE, related_name="visits")
    months_after = models.PositiveSmallIntegerField(_("months after the handover"))
    due_on = models.DateField(_("due on"), db_index=True)
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    activity_running = models.CharField(
        _("is the activity running?"), max_length=6, choices=ActivityRunning.choices, blank=True
    )
    monthly_income = models.DecimalField(
        _("estimated monthly income"), **MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    jobs_created = models.PositiveSmallIntegerField(_("jobs created"), null=True, blank=True)
    equipment_in_use = models.CharField(
        _("is the equipment still in use?"), max_length=6, choices=ActivityRunning.choices, blank=True
    )
    problems = models.TextField(_("problems met"), blank=True)
    support_needed = models.TextField(_("new support needed"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        constraints = [
            models.UniqueConstraint(fields=["project", "months_after"], name="followupvisit_once_per_milestone")
        ]
        indexes = [models.Index(fields=["done_on", "due_on"], name="followupvisit_open_due")]

    def __str__(self) -> str:
        return f"{self.project_id} +{self.months_after}"

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class VisitPhoto(Photo):
    visit = models.ForeignKey(FollowUpVisit, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    @property
    def upload_folder(self) -> str:
        return f"visits/{self.visit.project_id}"
