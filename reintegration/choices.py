from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (regional centre)")
    OFFICER = "officer", _("Program officer (HQ)")
    ANALYST = "analyst", _("Analyst (HQ)")
    ADMINISTRATOR = "admin", _("Administrator")


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = "prefecture_of_arrondissements", _("Prefecture of arrondissements")


class PartnerKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INDH_COMMITTEE = "indh", _("INDH provincial committee")
    TERRITORY = "territory", _("Province or prefecture")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    ARABIC = "ar", "العربية"
    FRENCH = "fr", "Français"
    ENGLISH = "en", "English"
