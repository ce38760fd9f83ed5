from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    FUNDED = "funded", _("Funded")
    DELIVERED = "delivered", _("Equipment delivered")
    FOLLOW_UP = "follow_up", _("In follow-up")
    SUCCEEDED = "succeeded", _("Closed — succeeded")
    ABANDONED = "abandoned", _("Closed — abandoned")


CLOSED_STATUSES = (ProjectStatus.SUCCEEDED, ProjectStatus.ABANDONED)
EDITABLE_STATUSES = (ProjectStatus.DRAFT, ProjectStatus.RETURNED)


class SocialNeed(models.TextChoices):
    HOUSING = "housing", _("Housing")
    FAMILY = "family", _("Family mediation")
    SOCIAL_COVER = "social_cover", _("Social cover (AMO)")
    INCOME_SUPPORT = "income_support", _("Subsistence support")


class HealthNeed(models.TextChoices):
    CARE = "care", _("Medical care")
    ADDICTION = "addiction", _("Addiction treatment")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    DISABILITY = "disability", _("Disability")


class AdministrativeNeed(models.TextChoices):
    ID_CARD = "id_card", _("National ID card")
    CIVIL_STATUS = "civil_status", _("Civil status documents")
    RESIDENCE = "residence", _("Residence certificate")
    PERMITS = "permits", _("Trade licence or permits")


class ProfessionalNeed(models.TextChoices):
    TRAINING = "training", _("Vocational training")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    EQUIPMENT = "equipment", _("Equipment for an income-generating project")
    MANAGEMENT = "management", _("Small-business management skills")
    PREMISES = "premises", _("Premises")


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    SET = "set", _("set")
    LOT = "lot", _("lot")
    KG = "kg", _("kg")
    LITRE = "litre", _("litre")
    METRE = "m", _("metre")
    SQUARE_METRE = "m2", _("m²")


class CommitmentStatus(models.TextChoices):
    ACTIVE = "active", _("Committed")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityRunning(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
