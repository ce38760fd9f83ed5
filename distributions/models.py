"""Distribution operations and events, the handovers made there, and their numbered receipts."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from distributions.choices import EventStatus, HandoverStatus
from projects.choices import Unit
from projects.models import EquipmentLine, ItemNames, LifeProject
from reintegration.i18n import localized
from reintegration.models import BilingualNameModel, Partner, Photo, Program, Province, TimeStampedModel, User
from reintegration.scoping import ScopedQuerySet
from reintegration.uploads import stored_name

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}


class Operation(TimeStampedModel, BilingualNameModel):
    """Several events under one name: Moussalaha 2021 (Meknès, Fès, Casablanca)."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "name_fr"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")


class EventQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> EventQuerySet:
        if user.is_coordinator:
            # Events in the centre's provinces, and those where its people receive equipment.
            return self.filter(
                Q(province__centres=user.centre_id) | Q(handovers__project__beneficiary__centre_id=user.centre_id)
            ).distinct()
        return self if user.is_hq else self.none()


class Event(TimeStampedModel):
    """A handover ceremony in a prefecture or province, presided by the governor or their representative."""

    operation = models.ForeignKey(
        Operation, verbose_name=_("operation"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    date = models.DateField(_("date"))
    province = models.ForeignKey(
        Province, verbose_name=_("prefecture or province"), on_delete=models.PROTECT, related_name="+"
    )
    venue_fr = models.CharField(
        _("venue in French"), max_length=300, help_text=_("e.g. Siège de la province, Ben Guerir")
    )
    venue_ar = models.CharField(
        _("venue in Arabic"), max_length=300, help_text=_("e.g. مقر عمالة إقليم الرحامنة، ابن جرير")
    )
    town_fr = models.CharField(
        _("town in French"),
        max_length=100,
        blank=True,
        help_text=_("Where the receipts are signed (“Fait à …”); the province's name when left empty."),
    )
    town_ar = models.CharField(_("town in Arabic"), max_length=100, blank=True, help_text=_("e.g. ابن جرير"))
    presiding_name_fr = models.CharField(_("presiding official's name in French"), max_length=200, blank=True)
    presiding_name_ar = models.CharField(_("presiding official's name in Arabic"), max_length=200, blank=True)
    presiding_title_ar = models.CharField(_("title in Arabic"), max_length=200, help_text=_("e.g. عامل إقليم الرحامنة"))
    presiding_title_fr = models.CharField(
        _("title in French"), max_length=200, help_text=_("e.g. Gouverneur de la province de Rehamna")
    )
    officials_present = models.TextField(_("other officials present"), blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners present"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[partners])

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("distribution event")
        verbose_name_plural = _("distribution events")
        indexes = [models.Index(fields=["-date"], name="event_date")]

    def __str__(self) -> str:
        return f"{self.province} — {self.date:%d/%m/%Y}"

    @property
    def venue(self) -> str:
        return localized(self.venue_ar, self.venue_fr)

    @property
    def presiding_title(self) -> str:
        return localized(self.presiding_title_ar, self.presiding_title_fr)

    @property
    def presiding_name(self) -> str:
        return localized(self.presiding_name_ar, self.presiding_name_fr)

    @property
    def town(self) -> tuple[str, str]:
        """Where the receipts are signed, in Arabic and in French."""
        return (self.town_ar or self.province.name_ar, self.town_fr or self.province.name_fr)

    def hosted_by(self, user: User) -> bool:
        """HQ, or a coordinator of a centre covering the event's province: the event is theirs
        (its photos, its whole-ceremony summary), whereas a centre that only has people on its
        list sees their handovers alone. One query for a coordinator."""
        return user.is_hq or (user.is_coordinator and self.province.centres.filter(pk=user.centre_id).exists())

    def writable_by(self, user: User) -> bool:
        return self.status != EventStatus.CLOSED and self.hosted_by(user)


class EventPhoto(Photo):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")

    @property
    def upload_folder(self) -> str:
        return f"events/{self.event_id}"


class HandoverQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> HandoverQuerySet:
        if user.is_coordinator:
            return self.filter(project__beneficiary__centre_id=user.centre_id)
        return self if user.is_hq else self.none()


def _signed_scan_path(handover: Handover, filename: str) -> str:
    return f"handovers/{handover.pk}/{stored_name(filename)}"


class Handover(TimeStampedModel):
    """One person's equipment (and cash aid) handed over at an event, and its receipt."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="handovers")
    project = models.OneToOneField(
        LifeProject, verbose_name=_("project"), on_delete=models.PROTECT, related_name="handover"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PLANNED
    )
    cash_aid_delivered = models.DecimalField(
        _("cash aid handed over"), **MONEY, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    delivered_on = models.DateField(_("handed over on"), null=True, blank=True)
    is_partial = models.BooleanField(_("partial delivery"), default=False)
    # Set once, at the first print; never reused (unique), never changed.
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True, null=True, blank=True)
    # Given with the number: what the QR code's signed link names, instead of the sequential id.
    public_ref = models.CharField(max_length=24, unique=True, null=True, blank=True, editable=False)
    first_printed_at = models.DateTimeField(_("first printed at"), null=True, blank=True)
    print_count = models.PositiveIntegerField(_("prints"), default=0)
    signed_scan = models.FileField(_("signed receipt (scan)"), upload_to=_signed_scan_path, max_length=200, blank=True)
    signed_scan_type = models.CharField(max_length=50, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = HandoverQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "print_count"])

    class Meta:
        ordering = ["id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return self.receipt_number or f"H-{self.pk}"

    @property
    def equipment_delivered(self) -> Decimal:
        """The items' amounts (needs ``items``; prefetch them for lists)."""
        return sum((item.amount for item in self.items.all()), ZERO)

    @property
    def total_delivered(self) -> Decimal:
        return self.equipment_delivered + self.cash_aid_delivered

    def writable_by(self, user: User) -> bool:
        return user.is_hq or (user.is_coordinator and user.centre_id == self.project.beneficiary.centre_id)


class HandoverItem(ItemNames):
    """An item handed over: prefilled from the plan, with what was actually delivered."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    equipment_line = models.ForeignKey(
        EquipmentLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    planned_quantity = models.DecimalField(_("planned"), max_digits=10, decimal_places=2, default=ZERO)
    quantity = models.DecimalField(
        _("delivered"), max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(ZERO)])
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY, default=ZERO, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("item handed over")
        verbose_name_plural = _("items handed over")

    @property
    def still_due(self) -> Decimal:
        return max(self.planned_quantity - self.quantity, ZERO)


class ReceiptSequence(models.Model):
    """The last receipt number given for a year and a province; row-locked while numbering."""

    year = models.PositiveSmallIntegerField()
    province_code = models.CharField(max_length=12)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "province_code"], name="receiptsequence_one_per_year_province")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.province_code}: {self.last}"
