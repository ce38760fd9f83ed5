"""An envelope's change history as readable lines: "Amount: 500 000,00 DH → 650 000,00 DH".

The records are django-simple-history's, read newest first; each is compared with the one
before it in Python (no query per record). Foreign keys are stored as ids in the history: their
names are read in one query per related model, for the ids the shown changes name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from projects.models import Envelope
from reintegration.money import format_amount

SHOWN = 8
MONEY_FIELDS = {"amount", "committed", "delivered"}
# The fields a change line may name, in the order of the envelope's form.
FIELDS = (
    "name",
    "program",
    "fiscal_year",
    "region",
    "province",
    "amount",
    "committed",
    "delivered",
    "agreement_partner",
    "agreement_signed_on",
    "agreement_document",
    "notes",
    "is_active",
)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One saved version: when, by whom, and what it changed (``created`` for the first one)."""

    at: object
    by: object
    created: bool
    changes: list[Change]


def envelope_changes(envelope: Envelope, *, shown: int = SHOWN) -> list[Entry]:
    """The last ``shown`` versions of the envelope, each with its changes, newest first."""
    records = list(
        envelope.history.select_related("history_user").order_by("-history_date", "-history_id")[: shown + 1]
    )
    pairs = [(record, records[index + 1] if index + 1 < len(records) else None) for index, record in enumerate(records)]
    pairs = pairs[:shown]
    raw = [(record, previous, _changed(record, previous)) for record, previous in pairs]
    names = _related_names(raw)
    entries = []
    for record, previous, fields in raw:
        changes = [
            Change(
                label=capfirst(Envelope._meta.get_field(name).verbose_name),
                old=_show(name, getattr(previous, _attname(name)), names) if previous else "",
                new=_show(name, getattr(record, _attname(name)), names),
            )
            for name in fields
        ]
        entries.append(Entry(at=record.history_date, by=record.history_user, created=previous is None, changes=changes))
    return entries


def _attname(name: str) -> str:
    return Envelope._meta.get_field(name).attname


def _changed(record, previous) -> list[str]:
    if previous is None:
        # The first version: what it was opened with, in a few words.
        return ["amount", "is_active"] if record.history_type == "+" else []
    return [name for name in FIELDS if getattr(record, _attname(name)) != getattr(previous, _attname(name))]


def _related_names(raw) -> dict[tuple[str, object], str]:
    wanted: dict[str, set] = {}
    for record, previous, fields in raw:
        for name in fields:
            if Envelope._meta.get_field(name).is_relation:
                ids = {getattr(version, _attname(name)) for version in (record, previous) if version is not None}
                wanted.setdefault(name, set()).update(pk for pk in ids if pk is not None)
    names = {}
    for name, ids in wanted.items():
        model: type[Model] = Envelope._meta.get_field(name).related_model
        for pk, obj in model.objects.in_bulk(ids).items():
            names[(name, pk)] = str(getattr(obj, "name", obj))
    return names


def _show(name: str, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if name in MONEY_FIELDS:
        return format_amount(value)
    if name == "is_active":
        return _("Yes") if value else _("No")
    if name == "agreement_signed_on":
        return date_format(value, "SHORT_DATE_FORMAT")
    if name == "agreement_document":
        return _("a file")
    if Envelope._meta.get_field(name).is_relation:
        return names.get((name, value), "—")
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"
