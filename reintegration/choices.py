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


class AuthEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in with a password")
    LOGIN_FAILED = "login_failed", _("Wrong username or password")
    LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
    LOGOUT = "logout", _("Signed out")
    OTP_ENROLLED = "otp_enrolled", _("Second factor set up")
    OTP_VERIFIED = "otp_verified", _("Code from the app accepted")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    OTP_FAILED = "otp_failed", _("Wrong or throttled code")
    OTP_RESET = "otp_reset", _("Second factor reset by an administrator")
