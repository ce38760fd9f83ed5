from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class ReleaseType(models.TextChoices):
    END_OF_SENTENCE = "end_of_sentence", _("End of sentence")
    ROYAL_PARDON = "royal_pardon", _("Royal pardon")
    CONDITIONAL_RELEASE = "conditional", _("Conditional release")
    OTHER = "other", _("Other")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No schooling")
    LITERACY = "literacy", _("Literacy classes")
    PRIMARY = "primary", _("Primary school")
    MIDDLE = "middle", _("Middle school")
    SECONDARY = "secondary", _("Secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    HIGHER = "higher", _("Higher education")


class FamilySituation(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class ActionKind(models.TextChoices):
    SOCIAL = "social", _("Social")
    HEALTH = "health", _("Health")
    ADMINISTRATIVE = "administrative", _("Administrative")
    PROFESSIONAL = "professional", _("Professional")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    ID_COPY = "id_copy", _("Copy of the ID card")
    RELEASE_CERTIFICATE = "release_certificate", _("Release certificate")
    TRAINING_CERTIFICATE = "training_certificate", _("Training certificate")
    CONSENT_FORM = "consent_form", _("Signed consent form")
    OTHER = "other", _("Other document")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiving centre")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class ViewedPage(models.TextChoices):
    CASE = "case", _("Case file")
    DOCUMENT = "document", _("Document")
    PROJECT = "project", _("Life project")
    HANDOVER = "handover", _("Handover")
    RECEIPT = "receipt", _("Receipt printed")


class DuplicateSource(models.TextChoices):
    REGISTRATION = "registration", _("Registered over a duplicate warning")
    SCAN = "scan", _("Found by the duplicate scan")


class DuplicateDecision(models.TextChoices):
    PENDING = "pending", _("To be checked")
    DIFFERENT = "different", _("Not the same person")
    SAME = "same", _("Same person")


class CinLookupKind(models.TextChoices):
    """Where a CIN was looked up (``CinLookup``)."""

    DUPLICATE_CHECK = "duplicate_check", _("Duplicate check while registering")
    CASE_FILE_FORM = "case_file_form", _("CIN entered in a case file")
    CASE_SEARCH = "case_search", _("Case file search")
    CASE_EXPORT = "case_export", _("Case file export")
    IMPORT = "import", _("CIN in an imported sheet")
    PROJECT_SEARCH = "project_search", _("Life project search")
