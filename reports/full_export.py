"""HQ's full export of the national data, as a background job: one XLSX workbook with a sheet per
entity (case files, life projects, equipment lines, envelopes and their funders, commitments,
distribution events, handovers, items handed over, follow-up visits), or the same as a zip of
CSV files.

What it holds follows its starter's role (``sheets_for``):

- an **analyst** gets what an anonymised case file keeps (``beneficiary_anonymise``): the file
  number that links the sheets, no name, CIN, phone, address nor free text, and the year of birth
  instead of the date;
- a **program officer** gets the names in Arabic and Latin script, the CIN masked (``mask_cin``),
  phone, address, date of birth, the projects' descriptions and commitments' reasons;
- an **administrator** the same with the full CIN.

The diagnosis (needs, notes, goals) and the accompaniment log are case work, not national
figures: they stay in the case files.

Each sheet is read with one query (its columns joined in, ``values_list(...).iterator()``), in
batches, times of day turned into days by the database (``TruncDate``, in the active time zone),
and written straight into a temporary file; the job reports its progress between batches (never
inside a transaction, so that the page sees it and a cancel reaches it) and saves the file, with
a line in the export log, in one transaction at the end. A job cancelled or failed before that
leaves nothing: the temporary file goes with it. The sheets are read one after the other, not in
one snapshot: a change made while the export runs may show in one sheet and not in another.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import ExtractYear, TruncDate
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import CaseStatus, EducationLevel, FamilySituation, ReleaseType, Sex
from beneficiaries.cin import mask_cin
from beneficiaries.models import Beneficiary
from beneficiaries.services import case_export_record
from distributions.choices import EventStatus, HandoverStatus
from distributions.models import Event, Handover, HandoverItem
from jobs.models import Job
from jobs.registry import register
from jobs.services import job_progress, job_start, job_succeed
from projects.choices import ActivityRunning, CommitmentStatus, ProjectStatus, Unit
from projects.models import Commitment, Envelope, EnvelopeFunder, EquipmentLine, FollowUpVisit, LifeProject, Trade
from reintegration.i18n import is_arabic
from reintegration.models import User
from reintegration.phones import format_phone
from reintegration.replica import replica_reads
from reintegration.spreadsheets import CsvZipBook, XlsxBook
from reintegration.tables import DATE, MONEY, NUMBER, TEXT

KIND = "full_export"
XLSX, CSV = "xlsx", "csv"
FORMATS = {XLSX: _("Excel workbook (XLSX), one sheet per table"), CSV: _("CSV files in a zip, one per table")}
EXTENSIONS = {XLSX: "xlsx", CSV: "zip"}
DEFAULT_FORMAT = XLSX
CHUNK = 2_000  # rows fetched at a time
PROGRESS_EVERY = 5_000  # rows written between two reports of progress


def full_export_allowed(user: User) -> bool:
    """HQ: program officers, administrators and analysts (each gets what their role reads)."""
    return user.is_authenticated and user.is_active and (user.is_hq or user.is_analyst)


def full_export_start(*, by: User, fmt: str = DEFAULT_FORMAT) -> Job:
    """Start the export for ``by``, in ``fmt`` (``xlsx`` or ``csv``); it concerns HQ (no centre)."""
    if not full_export_allowed(by):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValidationError(_("Choose the format of the file."))
    return job_start(kind=KIND, by=by, scope=None, params={"format": fmt, "about": fmt.upper()})


# --- The sheets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column: its header, what it reads (a field path or an expression for ``values_list``),
    its kind (``reintegration.tables``) and how the value read becomes the one written."""

    label: object
    source: str | models.Expression
    kind: str = TEXT
    to: Callable | None = None


@dataclass(frozen=True)
class Sheet:
    """One entity: its title, the file name of its CSV, its rows and its columns."""

    title: object
    name: str
    queryset: models.QuerySet
    fields: list[Field]

    @property
    def labels(self) -> list[str]:
        return [str(field.label) for field in self.fields]

    def count(self) -> int:
        return self.queryset.count()

    def rows(self) -> Iterator[list]:
        """The rows in the order of their primary key, each value as it is written."""
        converted = [(index, field.to) for index, field in enumerate(self.fields) if field.to is not None]
        values = self.queryset.order_by("pk").values_list(*[field.source for field in self.fields])
        for row in values.iterator(chunk_size=CHUNK):
            row = list(row)
            for index, to in converted:  # the few columns that have a conversion, not every cell
                if row[index] is not None:
                    row[index] = to(row[index])
            yield row


def _label(model: type[models.Model], name: str):
    """A column named as its field is (translated already): "Release date"."""
    return capfirst(model._meta.get_field(name).verbose_name)


def _title(model: type[models.Model]):
    return capfirst(model._meta.verbose_name_plural)


def _named(path: str) -> str:
    """A bilingual reference's name in the export's language: ``province__name_ar`` in Arabic."""
    return f"{path}__name_{'ar' if is_arabic() else 'fr'}"


def _choice(choices: type[models.TextChoices]) -> Callable[[str], str]:
    labels = {value: str(label) for value, label in choices.choices}
    return lambda value: labels.get(value, value)


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


# The numbers staff quote, as ``Beneficiary.number`` and ``LifeProject.number`` write them.
def _file_number(pk: int) -> str:
    return f"D-{pk:06d}"


def _project_number(pk: int) -> str:
    return f"P-{pk:06d}"


FILE_NUMBER = _("File number")


def _cases(user: User) -> Sheet:
    named = user.sees_case_files  # officers and administrators; not analysts
    B = Beneficiary
    fields = [Field(FILE_NUMBER, "pk", to=_file_number)]
    if named:
        fields += [
            Field(_label(B, name), name)
            for name in ("last_name_ar", "first_name_ar", "last_name_latin", "first_name_latin")
        ]
        fields.append(Field(_label(B, "cin"), "cin", to=None if user.sees_full_cin else mask_cin))
    fields.append(Field(_label(B, "sex"), "sex", to=_choice(Sex)))
    if named:
        fields += [
            Field(_label(B, "birth_date"), "birth_date", DATE),
            Field(_label(B, "phone"), "phone", to=format_phone),  # 06 12 34 56 78, as staff read it
            Field(_label(B, "address"), "address"),
        ]
    else:
        fields.append(Field(_("Year of birth"), ExtractYear("birth_date"), NUMBER))
    fields += [
        Field(_label(B, "province"), _named("province")),
        Field(_label(Envelope, "region"), _named("province__region")),
        Field(_label(B, "centre"), _named("centre")),
        Field(_label(B, "program"), _named("program")),
        Field(_label(B, "establishment"), "establishment"),
        Field(_label(B, "release_date"), "release_date", DATE),
        Field(_label(B, "release_type"), "release_type", to=_choice(ReleaseType)),
        Field(_label(B, "education_level"), "education_level", to=_choice(EducationLevel)),
        Field(_label(B, "family_situation"), "family_situation", to=_choice(FamilySituation)),
        Field(_label(B, "dependants"), "dependants", NUMBER),
        Field(_label(B, "status"), "status", to=_choice(CaseStatus)),
        Field(_("Registered on"), TruncDate("created_at"), DATE),
        Field(_label(B, "closed_on"), "closed_on", DATE),
    ]
    return Sheet(_title(B), "case-files", B.objects.all(), fields)


def _projects(user: User) -> Sheet:
    P = LifeProject
    fields = [
        Field(_label(Handover, "project"), "pk", to=_project_number),
        Field(FILE_NUMBER, "beneficiary_id", to=_file_number),
        Field(_label(Beneficiary, "centre"), _named("beneficiary__centre")),
        Field(_label(P, "status"), "status", to=_choice(ProjectStatus)),
        Field(_label(Trade, "sector"), _named("trade__sector")),
        Field(_label(P, "trade"), _named("trade")),
        Field(_label(P, "province"), _named("province")),
    ]
    if user.sees_case_files:
        fields.append(Field(_label(P, "description"), "description"))
    fields += [Field(_label(P, name), name, MONEY) for name in ("cash_aid", "equipment_total", "total")]
    fields.append(Field(_label(P, "created_at"), TruncDate("created_at"), DATE))
    fields += [
        Field(_label(P, name), name, DATE)
        for name in ("submitted_on", "approved_on", "funded_on", "handed_over_on", "closed_on")
    ]
    return Sheet(_title(P), "life-projects", P.objects.all(), fields)


def _lines(user: User) -> Sheet:
    L = EquipmentLine
    fields = [
        Field(_label(Handover, "project"), "project_id", to=_project_number),
        Field(_label(L, "item_fr"), "item_fr"),
        Field(_label(L, "item_ar"), "item_ar"),
        Field(_label(L, "quantity"), "quantity", NUMBER),
        Field(_label(L, "unit"), "unit", to=_choice(Unit)),
        Field(_label(L, "unit_price"), "unit_price", MONEY),
        Field(_label(L, "amount"), "amount", MONEY),
        Field(_label(L, "supplier"), "supplier"),
    ]
    return Sheet(_title(L), "equipment-lines", L.objects.all(), fields)


ENVELOPE = _("Envelope")


def _envelopes(user: User) -> Sheet:
    E = Envelope
    fields = [
        Field(ENVELOPE, "pk", NUMBER),
        Field(_label(E, "name"), "name"),
        Field(_label(E, "program"), _named("program")),
        Field(_label(E, "fiscal_year"), "fiscal_year", NUMBER),
        Field(_label(E, "region"), _named("region")),
        Field(_label(E, "province"), _named("province")),
        Field(_label(E, "amount"), "amount", MONEY),
        Field(_label(E, "committed"), "committed", MONEY),
        Field(_label(E, "delivered"), "delivered", MONEY),
        Field(_("Available"), F("amount") - F("committed"), MONEY),
        Field(_label(E, "agreement_partner"), _named("agreement_partner")),
        Field(_label(E, "agreement_signed_on"), "agreement_signed_on", DATE),
        Field(_label(E, "is_active"), "is_active", to=_yes_no),
    ]
    return Sheet(_title(E), "envelopes", E.objects.all(), fields)


def _funders(user: User) -> Sheet:
    fields = [
        Field(ENVELOPE, "envelope_id", NUMBER),
        Field(_label(EnvelopeFunder, "partner"), _named("partner")),
        Field(_label(EnvelopeFunder, "share"), "share", MONEY),
    ]
    return Sheet(_title(EnvelopeFunder), "envelope-funders", EnvelopeFunder.objects.all(), fields)


def _commitments(user: User) -> Sheet:
    C = Commitment
    fields = [
        Field(capfirst(C._meta.verbose_name), "pk", NUMBER),
        Field(ENVELOPE, "envelope_id", NUMBER),
        Field(_label(Handover, "project"), "project_id", to=_project_number),
        Field(FILE_NUMBER, "project__beneficiary_id", to=_file_number),
        Field(_label(C, "amount"), "amount", MONEY),
        Field(_label(C, "delivered_amount"), "delivered_amount", MONEY),
        Field(_label(C, "status"), "status", to=_choice(CommitmentStatus)),
        Field(_label(C, "created_at"), TruncDate("created_at"), DATE),
        Field(_label(Beneficiary, "closed_on"), TruncDate("closed_at"), DATE),
    ]
    if user.sees_case_files:
        fields.append(Field(_label(C, "reason"), "reason"))
    return Sheet(_title(C), "commitments", C.objects.all(), fields)


def _events(user: User) -> Sheet:
    E = Event
    fields = [
        Field(_label(Handover, "event"), "pk", NUMBER),
        Field(_label(E, "date"), "date", DATE),
        Field(_label(E, "operation"), _named("operation")),
        Field(_label(E, "province"), _named("province")),
        *[
            Field(_label(E, name), name)
            for name in (
                *("venue_fr", "venue_ar", "town_fr", "town_ar"),
                *("presiding_title_fr", "presiding_title_ar", "presiding_name_fr", "presiding_name_ar"),
            )
        ],
        Field(_label(E, "status"), "status", to=_choice(EventStatus)),
    ]
    return Sheet(_title(E), "events", E.objects.all(), fields)


def _handovers(user: User) -> Sheet:
    H = Handover
    fields = [
        Field(capfirst(H._meta.verbose_name), "pk", NUMBER),
        Field(_label(H, "event"), "event_id", NUMBER),
        Field(_label(Event, "date"), "event__date", DATE),
        Field(_label(H, "project"), "project_id", to=_project_number),
        Field(FILE_NUMBER, "project__beneficiary_id", to=_file_number),
        Field(_label(H, "status"), "status", to=_choice(HandoverStatus)),
        Field(_label(H, "cash_aid_delivered"), "cash_aid_delivered", MONEY),
        Field(_label(H, "delivered_on"), "delivered_on", DATE),
        Field(_label(H, "is_partial"), "is_partial", to=_yes_no),
        Field(_label(H, "receipt_number"), "receipt_number"),
    ]
    return Sheet(_title(H), "handovers", H.objects.all(), fields)


def _items(user: User) -> Sheet:
    I = HandoverItem  # noqa: E741 — the model, as the other sheets name theirs
    fields = [
        Field(capfirst(Handover._meta.verbose_name), "handover_id", NUMBER),
        Field(_label(Handover, "project"), "handover__project_id", to=_project_number),
        Field(_label(I, "item_fr"), "item_fr"),
        Field(_label(I, "item_ar"), "item_ar"),
        Field(_label(I, "unit"), "unit", to=_choice(Unit)),
        Field(_label(I, "planned_quantity"), "planned_quantity", NUMBER),
        Field(_label(I, "quantity"), "quantity", NUMBER),
        Field(_label(I, "unit_price"), "unit_price", MONEY),
        Field(_label(I, "amount"), "amount", MONEY),
        Field(_label(I, "brand"), "brand"),
        Field(_label(I, "serial_number"), "serial_number"),
    ]
    return Sheet(_title(I), "handover-items", I.objects.all(), fields)


def _visits(user: User) -> Sheet:
    V = FollowUpVisit
    answer = _choice(ActivityRunning)
    fields = [
        Field(_label(Handover, "project"), "project_id", to=_project_number),
        Field(_label(V, "months_after"), "months_after", NUMBER),
        Field(_label(V, "due_on"), "due_on", DATE),
        Field(_label(V, "done_on"), "done_on", DATE),
        Field(_label(V, "activity_running"), "activity_running", to=answer),
        Field(_label(V, "monthly_income"), "monthly_income", MONEY),
        Field(_label(V, "jobs_created"), "jobs_created", NUMBER),
        Field(_label(V, "equipment_in_use"), "equipment_in_use", to=answer),
    ]
    return Sheet(_title(V), "follow-up-visits", V.objects.all(), fields)


SHEETS = (_cases, _projects, _lines, _envelopes, _funders, _commitments, _events, _handovers, _items, _visits)


def sheets_for(user: User) -> list[Sheet]:
    """The sheets of ``user``'s export, their headers in the active language."""
    return [sheet(user) for sheet in SHEETS]


# --- The job ----------------------------------------------------------------------------------


def full_export_run(job: Job) -> None:
    user, fmt = job.started_by, job.params.get("format", DEFAULT_FORMAT)
    if not full_export_allowed(user):  # the role changed since the job was started
        raise ValidationError(gettext("Your role no longer gives this export."))
    sheets = sheets_for(user)
    # On disk (Django's upload folder when one is set, else the system's): tens of megabytes.
    with tempfile.TemporaryFile(suffix=f".{EXTENSIONS[fmt]}", dir=settings.FILE_UPLOAD_TEMP_DIR) as output:
        # The national data is read from the replica when there is one (reintegration.replica);
        # the job's progress and its file are written on the primary.
        with replica_reads():
            counts = [sheet.count() for sheet in sheets]
            total = sum(counts)
            job_progress(job, 0, total)
            write_export(job, sheets, output, fmt=fmt, total=total)
        with transaction.atomic():
            case_export_record(user=user, filters=_log_line(fmt), rows=counts[0])
            job_succeed(
                job, filename=f"national-export-{timezone.localdate():%Y-%m-%d}.{EXTENSIONS[fmt]}", content=output
            )


def write_export(job: Job, sheets: list[Sheet], output: IO[bytes], *, fmt: str, total: int) -> int:
    """Write the sheets into ``output``, reporting progress every ``PROGRESS_EVERY`` rows
    (``job_progress`` raises ``JobCancelled`` to stop); returns the rows written."""
    book = XlsxBook(output, right_to_left=is_arabic()) if fmt == XLSX else CsvZipBook(output)
    done = 0
    with book:
        for sheet in sheets:
            book.sheet(str(sheet.title), [(str(field.label), field.kind) for field in sheet.fields], name=sheet.name)
            for row in sheet.rows():
                book.write(row)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    job_progress(job, done, total)
    return done


def _log_line(fmt: str) -> QueryDict:
    """The export log's line (``CaseExport.filters``): ``export=national&format=xlsx``."""
    line = QueryDict(mutable=True)
    line.update({"export": "national", "format": fmt})
    return line


register(KIND, label=_("National export"), run=full_export_run, personal=True)
