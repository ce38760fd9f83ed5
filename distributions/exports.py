"""The columns of the event list's and an event's handovers' exports (reintegration.tables
writes them). No CIN and no phone number: these files leave the system."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from distributions.models import Handover
from reintegration.tables import DATE, MONEY, NUMBER, Column


def _label(name: str) -> str:
    return capfirst(Handover._meta.get_field(name).verbose_name)


EVENT_COLUMNS = [
    Column(_("Date"), lambda event: event.date, DATE),
    Column(_("Province"), lambda event: event.province.name),
    Column(_("Venue"), lambda event: event.venue),
    Column(_("Operation"), lambda event: str(event.operation or "")),
    Column(_("Status"), lambda event: event.get_status_display()),
    Column(_("Handed over"), lambda event: event.delivered_count, NUMBER, sums="delivered"),
    Column(_("Handovers"), lambda event: event.handover_count, NUMBER, sums="handovers"),
]

HANDOVER_COLUMNS = [
    Column(_("Project"), lambda handover: handover.project.number),
    Column(_("Name (Arabic)"), lambda handover: handover.project.beneficiary.full_name_ar),
    Column(_("Name (Latin script)"), lambda handover: handover.project.beneficiary.full_name_latin),
    Column(_("Centre"), lambda handover: handover.project.beneficiary.centre.name),
    Column(_("Trade"), lambda handover: handover.project.trade.name if handover.project.trade_id else ""),
    Column(_("Receipt"), lambda handover: handover.receipt_number or ""),
    Column(_label("delivered_on"), lambda handover: handover.delivered_on, DATE),
    Column(_("Status"), lambda handover: handover.get_status_display()),
    Column(_("Total"), lambda handover: handover.shown_total, MONEY, sums="total"),
]
