from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    CASES = "cases", _("Case files")
    PROJECTS = "projects", _("Projects and their equipment")
    HANDOVERS = "handovers", _("Handovers at an event")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Not imported")


class Encoding(models.TextChoices):
    AUTO = "auto", _("Find it out")
    UTF8 = "utf-8", _("UTF-8 (Excel's 'CSV UTF-8')")
    ARABIC = "cp1256", _("Windows Arabic (Windows-1256)")
    WESTERN = "cp1252", _("Windows Western (Windows-1252)")


class OnExisting(models.TextChoices):
    UPDATE = "update", _("Update that case file with the row's values")
    REPORT = "report", _("Leave the row out and list it in the report")


class OnProbable(models.TextChoices):
    SKIP = "skip", _("Leave the row out and list it in the report")
    FLAG = "flag", _("Register it, flagged as a possible duplicate for HQ to decide")
