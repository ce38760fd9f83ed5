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

from beneficiaries.choices import Sex
from distributions.models import Event, Handover
from distributions.selectors import event_ceremony, handover_for_verification, receipts_for_printing
from projects.choices import Unit
from reintegration import pdf
from reintegration.pdf import render_document, render_parts, render_template_pdf, write_pdf
from reintegration.words import amount_in_words_ar, amount_in_words_fr

_SALT = "reintegration.receipt-verification"


def _signer() -> signing.Signer:
    return signing.Signer(key=settings.RECEIPT_SIGNING_KEY, salt=_SALT)


def verification_token(handover: Handover) -> str:
    """Signed, and naming the receipt by its random public reference: the token shows neither
    the sequential id nor how many receipts exist. No one can forge one without the key."""
    if not handover.public_ref:
        raise ValueError("a receipt gets its public reference when it is first printed")
    return _signer().sign(handover.public_ref)


def handover_for_token(token: str) -> Handover | None:
    """The printed receipt a token names. Receipts printed before public references existed
    carry their id in their QR code; those tokens still verify."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    if value.isascii() and value.isdigit():
        return handover_for_verification(pk=int(value))
    return handover_for_verification(reference=value) if value else None


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
    item_fr: str
    item_ar: str
    detail: str
    planned: Decimal
    quantity: Decimal
    still_due: Decimal
    unit_ar: str
    unit_fr: str
    unit_price: Decimal
    amount: Decimal


@dataclass
class Wording:
    """The words that agree with the person's sex, in both languages."""

    beneficiary_fr: str
    beneficiary_ar: str
    undersigned_fr: str
    undersigned_ar: str
    for_beneficiary_ar: str


WORDING = {
    Sex.FEMALE: Wording("La bénéficiaire", "المستفيدة", "Je soussignée", "أنا الموقعة أسفله", "للمستفيدة"),
    Sex.MALE: Wording("Le bénéficiaire", "المستفيد", "Je soussigné", "أنا الموقع أسفله", "للمستفيد"),
}

# Past this many lines the items are set in smaller type so that the receipt stays on one page.
DENSE_LINES = 8


def receipt_lines(handover: Handover) -> list[ReceiptLine]:
    units = _unit_labels()
    lines = []
    for item in handover.items.all():
        unit_ar, unit_fr = units.get(item.unit, (item.unit, item.unit))
        detail = " · ".join(part for part in (item.brand, item.serial_number and f"S/N {item.serial_number}") if part)
        lines.append(
            ReceiptLine(
                item_fr=item.item_fr,
                item_ar=item.item_in_arabic,
                detail=detail,
                planned=item.planned_quantity,
                quantity=item.quantity,
                still_due=item.still_due,
                unit_ar=unit_ar,
                unit_fr=unit_fr,
                unit_price=item.unit_price,
                amount=item.amount,
            )
        )
    return lines


def receipt_context(handover: Handover, *, duplicate: bool, base_url: str) -> dict:
    """Everything one receipt states (``handover`` loaded by ``receipts_for_printing``)."""
    project = handover.project
    case = project.beneficiary
    lines = receipt_lines(handover)
    total = handover.total_delivered
    town_ar, town_fr = handover.event.town
    return {
        "handover": handover,
        "case": case,
        "words": WORDING[Sex.FEMALE if case.sex == Sex.FEMALE else Sex.MALE],
        "project": project,
        "event": handover.event,
        "town_ar": town_ar,
        "town_fr": town_fr,
        "funding": next(iter(project.funding), None),
        "lines": lines,
        "dense": len(lines) > DENSE_LINES,
        "partial": handover.is_partial,  # set on recording: an item or the cash aid short
        "equipment_total": handover.equipment_delivered,
        "total": total,
        "words_ar": amount_in_words_ar(total),
        "words_fr": amount_in_words_fr(total),
        "duplicate": duplicate,
        "verify_url": verification_url(handover, base_url),
        "foundation_ar": settings.FOUNDATION_NAME_AR,
        "foundation_fr": settings.FOUNDATION_NAME_FR,
    }


def receipts_pdf(printed: list[Handover], *, base_url: str) -> bytes:
    """The receipts ``receipts_print`` has just counted, in its order, in one PDF, one receipt
    per sheet (a receipt too long for one sheet takes several, numbered "page n/N").

    A reprint is marked as a duplicate. Many receipts (an event's) are cut into as many
    parts as there are PDF workers, rendered side by side.
    """
    return render_parts(render_receipts, receipt_contexts(printed, base_url=base_url))


# What printing gives a receipt: a job lays receipts out with these before they are saved.
NUMBERING = ("receipt_number", "public_ref", "first_printed_at", "print_count")


def receipt_contexts(printed: list[Handover], *, base_url: str) -> list[dict]:
    """Each receipt's context, with the number, reference and print count of ``printed`` (saved by
    ``receipts_print``, or only planned by ``receipts_plan`` while an event's receipts job runs)."""
    loaded = receipts_for_printing(handover.pk for handover in printed)
    contexts = []
    for handover in printed:
        shown = loaded[handover.pk]
        for name in NUMBERING:
            setattr(shown, name, getattr(handover, name))
        contexts.append(receipt_context(shown, duplicate=handover.print_count > 1, base_url=base_url))
    return contexts


TEMPLATE = "distributions/receipt.html"
SUMMARY_TEMPLATE = "distributions/event_summary.html"
# The receipt's style, the same on every receipt: parsed once per process (reintegration.pdf).
STYLESHEETS = ("distributions/_pdf_style.css", "distributions/receipt.css")


def render_receipts(contexts: list[dict]) -> bytes:
    """Receipts in one document; then any receipt that took more than one sheet is laid out
    again on its own, with its number and "page n/N" on every sheet, in its place."""
    document = render_document(TEMPLATE, {"receipts": contexts}, stylesheets=STYLESHEETS)
    spans = receipt_page_spans(document, len(contexts))
    if all(len(span) == 1 for span in spans):
        return write_pdf(document)
    pages = []
    for context, span in zip(contexts, spans, strict=True):
        if len(span) == 1:
            pages.append(document.pages[span[0]])
        else:
            pages += render_document(TEMPLATE, {"receipts": [context], "paged": True}, stylesheets=STYLESHEETS).pages
    return write_pdf(document.copy(pages))


def warm_up() -> None:
    """Ready this process to print a receipt at once (``reintegration.pdf.warm_up``): the
    templates, style sheets and fonts, the QR encoder and image writer, the units' labels in both
    languages. Called as each app server worker starts, before it takes a request."""
    from distributions.templatetags.receipts import qr_img

    pdf.warm_up((TEMPLATE, SUMMARY_TEMPLATE), stylesheets=STYLESHEETS)
    qr_img("https://example.org/verify/warm-up")
    _unit_labels()
    reverse("verify", args=["warm-up"])  # the URL patterns, read at the first reverse


def receipt_page_spans(document, count: int) -> list[range]:
    """The pages each receipt of a document takes, found by its anchor (which every page the
    receipt runs over carries: the first one counts)."""
    starts: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("receipt-"):
                starts.setdefault(int(anchor.removeprefix("receipt-")), number)
    bounds = [starts[index] for index in range(1, count + 1)] + [len(document.pages)]
    return [range(bounds[i], bounds[i + 1]) for i in range(count)]


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
            items[(item.item_fr, item.item_in_arabic, unit_fr, unit_ar)] += item.quantity
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
    return render_template_pdf(SUMMARY_TEMPLATE, context)
