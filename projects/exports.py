"""The columns of the project and envelope lists' exports (reintegration.tables writes them).

No CIN and no phone number, ever: these files leave the system. A person is named as on the
page, in both scripts so that either office can read the file.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from projects.models import Commitment, LifeProject
from reintegration.tables import DATE, MONEY, Column


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _project_columns(path) -> list[Column]:
    """The project's columns, read through ``path`` (the row's project)."""
    return [
        Column(_("Project"), lambda row: path(row).number),
        Column(_("Name (Arabic)"), lambda row: path(row).beneficiary.full_name_ar),
        Column(_("Name (Latin script)"), lambda row: path(row).beneficiary.full_name_latin),
        Column(_("Centre"), lambda row: path(row).beneficiary.centre.name),
        Column(_("Trade"), lambda row: path(row).trade.name if path(row).trade_id else ""),
        Column(_("Location"), lambda row: path(row).province.name if path(row).province_id else ""),
    ]


PROJECT_COLUMNS = [
    *_project_columns(lambda project: project),
    Column(_("Status"), lambda project: project.get_status_display()),
    Column(_label(LifeProject, "equipment_total"), lambda project: project.equipment_total, MONEY),
    Column(_label(LifeProject, "cash_aid"), lambda project: project.cash_aid, MONEY),
    Column(_("Total"), lambda project: project.total, MONEY, sums="total"),
    Column(_label(LifeProject, "submitted_on"), lambda project: project.submitted_on, DATE),
    Column(_label(LifeProject, "approved_on"), lambda project: project.approved_on, DATE),
    Column(_label(LifeProject, "funded_on"), lambda project: project.funded_on, DATE),
    Column(_label(LifeProject, "handed_over_on"), lambda project: project.handed_over_on, DATE),
]

ENVELOPE_COLUMNS = [
    Column(_("Envelope"), lambda envelope: envelope.name),
    Column(_("Program"), lambda envelope: str(envelope.program)),
    Column(_("Fiscal year"), lambda envelope: envelope.fiscal_year),
    Column(_("Territory"), lambda envelope: envelope.territory),
    Column(_("Open for new commitments"), lambda envelope: _("Yes") if envelope.is_active else _("No")),
    Column(_("Amount"), lambda envelope: envelope.amount, MONEY, sums="amount"),
    Column(_("Committed"), lambda envelope: envelope.committed, MONEY, sums="committed"),
    Column(_("Delivered"), lambda envelope: envelope.delivered, MONEY, sums="delivered"),
    Column(_("Available"), lambda envelope: envelope.available, MONEY, sums="available"),
]

COMMITMENT_COLUMNS = [
    *_project_columns(lambda commitment: commitment.project),
    Column(_label(Commitment, "created_at"), lambda commitment: commitment.created_at, DATE),
    Column(_("Status"), lambda commitment: commitment.get_status_display()),
    Column(_("Amount"), lambda commitment: commitment.counted, MONEY, sums="total"),
]
