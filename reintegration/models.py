"""The organisation: territory, centres, programs, partners and the people who use the system."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reintegration.choices import AuthEventKind, Language, PartnerKind, ProvinceKind, Role
from reintegration.i18n import localized
from reintegration.scoping import ScopedQuerySet
from reintegration.uploads import photo_path


class TimeStampedModel(models.Model):
    """Adds creation and last-change times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameModel(models.Model):
    """A name kept in Arabic and in French, shown in the user's language."""

    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ar, self.name_fr)


class Region(BilingualNameModel):
    """One of Morocco's 12 regions, with its HCP code (``07`` is Marrakech-Safi)."""

    code = models.CharField(_("HCP code"), max_length=2, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(BilingualNameModel):
    """A prefecture or province (HCP code ``RR.PPP``), or one of Casablanca's
    prefectures of arrondissements (``06.141.01.x0``), which lie inside the
    Casablanca prefecture (``parent``) yet have their own governor."""

    code = models.CharField(_("HCP code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProvinceKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="provinces")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=8, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture or province")
        verbose_name_plural = _("prefectures and provinces")


class CentreQuerySet(ScopedQuerySet):
    def _scoped(self, user: User) -> CentreQuerySet:
        if user.is_coordinator:
            return self.filter(pk=user.centre_id)
        return self


class Centre(TimeStampedModel, BilingualNameModel):
    """A regional accompaniment and reintegration centre and the provinces it covers."""

    code = models.SlugField(_("short code"), max_length=32, unique=True)
    city_ar = models.CharField(_("city in Arabic"), max_length=100)
    city_fr = models.CharField(_("city in French"), max_length=100)
    provinces = models.ManyToManyField(
        Province, verbose_name=_("provinces covered"), related_name="centres", blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CentreQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[provinces])

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("regional centre")
        verbose_name_plural = _("regional centres")

    @property
    def city(self) -> str:
        return localized(self.city_ar, self.city_fr)

    def writable_by(self, user: User) -> bool:
        return user.is_administrator


class Program(BilingualNameModel):
    """A program and, where it has them, its edition and years (Moussalaha edition 7)."""

    code = models.SlugField(_("short code"), max_length=40, unique=True)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-start_year", "name_fr"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                name="program_years_in_order",
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                violation_error_message=_("The last year cannot come before the first year."),
            )
        ]

    def __str__(self) -> str:
        label = self.name
        if self.edition:
            label = _("%(name)s, edition %(edition)s") % {"name": label, "edition": self.edition}
        if self.end_year and self.end_year != self.start_year:
            return f"{label} ({self.start_year}-{self.end_year})"
        return f"{label} ({self.start_year})"


class Partner(TimeStampedModel, BilingualNameModel):
    """An institution that funds or takes part: the foundation, an INDH committee, a province..."""

    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province or prefecture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For partners tied to one territory, such as an INDH provincial committee."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name_fr"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # ``createsuperuser`` makes an administrator, the only role allowed in the admin.
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Someone who signs in: a centre's coordinator, HQ staff or an administrator.

    The role decides what they may do; a coordinator's centre decides which
    case files they see.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COORDINATOR)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for coordinators, empty for HQ roles."),
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True, default="")

    objects = AccountManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_centre_matches_role",
                condition=(Q(role=Role.COORDINATOR) & Q(centre__isnull=False))
                | (~Q(role=Role.COORDINATOR) & Q(centre__isnull=True)),
                violation_error_message=_("A coordinator belongs to one centre; HQ roles belong to none."),
            )
        ]

    def clean(self):
        super().clean()
        if self.role == Role.COORDINATOR and self.centre_id is None:
            raise ValidationError({"centre": _("Choose the centre this coordinator works in.")})
        if self.role != Role.COORDINATOR:
            self.centre = None

    def save(self, *args, **kwargs):
        # Only administrators may open the Django admin; the flags follow the role.
        self.is_staff = self.is_superuser = self.role == Role.ADMINISTRATOR
        if (update_fields := kwargs.get("update_fields")) is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # --- What the role allows; every view asks these, never the role itself. ---
    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_hq(self) -> bool:
        """HQ staff who act on cases nationally: program officers and administrators."""
        return self.role in (Role.OFFICER, Role.ADMINISTRATOR)

    @property
    def sees_case_files(self) -> bool:
        """Analysts work on aggregates only: no names, no ID numbers."""
        return self.role != Role.ANALYST

    @property
    def sees_full_cin(self) -> bool:
        """The coordinator who serves the person, and administrators; others see it masked."""
        return self.role in (Role.COORDINATOR, Role.ADMINISTRATOR)

    @property
    def needs_second_factor(self) -> bool:
        """HQ and administrators confirm each sign-in with a code, where ``REQUIRE_SECOND_FACTOR``
        is on (production); see ``reintegration.second_factor`` for why coordinators are not asked."""
        return settings.REQUIRE_SECOND_FACTOR and self.role in settings.SECOND_FACTOR_ROLES


class AuthEvent(models.Model):
    """One sign-in, failure, lockout, sign-out or second-factor event, for the audit.

    Written only by ``reintegration.audit``; never a password or a code. ``username`` is the
    name as typed (cut to its width) for failures, where there may be no such account.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    kind = models.CharField(_("event"), max_length=24, choices=AuthEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    by = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The administrator, for a reset."),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"


class Photo(models.Model):
    """A photo taken in the field, stored under a random name in the subclass's ``upload_folder``."""

    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.image.name


class Submission(models.Model):
    """A create form that was sent: its one-time token, who sent it, and where its answer led.

    A second copy of the same form (a double click, a retried request) finds this row and is
    sent to the same place instead of creating a copy; see ``reintegration.once``.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")

    def __str__(self) -> str:
        return str(self.token)
