"""The handover receipt (procès-verbal de remise / محضر تسليم) and the event's printed papers.

Everything a receipt states is gathered here, in both languages at once; the templates
only lay it out. The QR code carries a signed link to the public verification page.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from distributions.models import Event, Handover
from distributions.selectors import event_ceremony, handover_for_verification, receipts_for_printing
from projects.choices import Unit
from reintegration.pdf import render_pdf_parts, render_template_pdf
from reintegration.words import amount_in_words_ar, amount_in_words_fr

_SALT = "reintegration.receipt-verification"


def _signer() -> signing.Signer:
    return signing.Signer(key=settings.RECEIPT_SIGNING_KEY, salt=_SALT)


def verification_token(handover: Handover) -> str:
    """Unguessable and signed: the handover's id with an HMAC no one can forge without the key."""
    return _signer().sign(str(handover.pk))


def handover_for_token(token: str) -> Handover | None:
    try:
        pk = int(_signer().unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return handover_for_verification(pk)


def verification_url(handover: Handover, base_url: str) -> str:
    root = (settings.PUBLIC_BASE_URL or base_url).rstrip("/")
    return root + reverse("verify", args=[verification_token(handover)])


@functools.cache
def _unit_labels() -> dict[str, tuple[str, str]]:
    """Each unit's label in Arabic and in French (the catalogues do not change while running)."""
    labels = {}
    for code, label in Unit.choices:
        with translation.override("ar"):
            arabic = str(label)
        with translation.override("fr"):
            labels[code] = (arabic, str(label))
    return labels


@dataclass
class ReceiptLine:
    item: str
    detail: str
    quantity: Decimal
    unit_ar: str
    unit_fr: str
    unit_price: Decimal
    amount: Decimal


def receipt_context(handover: Handover, *, duplicate: bool, base_url: str) -> dict:
    project = handover.project
    case = project.beneficiary
    lines = []
    units = _unit_labels()
    for item in handover.items.all():
        unit_ar, unit_fr = units.get(item.unit, (item.unit, item.unit))
        detail = " · ".join(part for part in (item.brand, item.serial_number and f"S/N {item.serial_number}") if part)
        lines.append(ReceiptLine(item.item, detail, item.quantity, unit_ar, unit_fr, item.unit_price, item.amount))
    total = handover.total_delivered
    url = verification_url(handover, base_url)
    return {
        "handover": handover,
        "case": case,
        "project": project,
        "event": handover.event,
        "lines": lines,
        "equipment_total": handover.equipment_delivered,
        "total": total,
        "words_ar": amount_in_words_ar(total),
        "words_fr": amount_in_words_fr(total),
        "duplicate": duplicate,
        "verify_url": url,
        "foundation_ar": settings.FOUNDATION_NAME_AR,
        "foundation_fr": settings.FOUNDATION_NAME_FR,
    }


def receipts_pdf(printed: list[Handover], *, base_url: str) -> bytes:
    """The receipts ``receipts_print`` has just counted, in its order, in one PDF.

    A reprint is marked as a duplicate. Many receipts (an event's) are cut into as many
    parts as there are PDF workers, rendered side by side.
    """
    loaded = receipts_for_printing(handover.pk for handover in printed)
    contexts = [
        receipt_context(loaded[handover.pk], duplicate=handover.print_count > 1, base_url=base_url)
        for handover in printed
    ]
    size = -(-len(contexts) // max(1, settings.PDF_WORKERS))
    return render_pdf_parts(
        [
            ("distributions/receipt.html", {"receipts": contexts[start : start + size]})
            for start in range(0, len(contexts), size)
        ]
    )


def event_figures(event: Event) -> dict:
    """What a press release quotes: people by province, women, trades, items, the total."""
    handovers, planned = event_ceremony(event)
    by_province: dict = defaultdict(int)
    trades: Counter = Counter()
    sectors: Counter = Counter()
    items: Counter = Counter()
    units = _unit_labels()
    for handover in handovers:
        project = handover.project
        by_province[project.province] += 1
        trades[project.trade] += 1
        sectors[project.trade.sector] += 1
        for item in handover.items.all():
            unit_ar, unit_fr = units.get(item.unit, (item.unit, item.unit))
            items[(item.item, f"{unit_fr} / {unit_ar}")] += item.quantity
    return {
        "event": event,
        "people": len(handovers),
        "women": sum(1 for h in handovers if h.project.beneficiary.sex == "F"),
        "by_province": sorted(by_province.items(), key=lambda pair: (-pair[1], pair[0].code)),
        "trades": trades.most_common(),
        "sectors": sectors.most_common(),
        "items": items.most_common(),
        "cash_aid": sum((h.cash_aid_delivered for h in handovers), Decimal("0.00")),
        "total": sum((h.total_delivered for h in handovers), Decimal("0.00")),
        "planned": planned,
    }


def event_summary_pdf(event: Event) -> bytes:
    context = {
        **event_figures(event),
        "foundation_ar": settings.FOUNDATION_NAME_AR,
        "foundation_fr": settings.FOUNDATION_NAME_FR,
    }
    context["words_ar"], context["words_fr"] = (
        amount_in_words_ar(context["total"]),
        amount_in_words_fr(context["total"]),
    )
    return render_template_pdf(("distributions/event_summary.html", context))
