"""Life projects from a sheet: one row per equipment line, the project's columns repeated on each
of its rows, the rows of one project one after the other.

A project is the case file's: its number (D-000123) or its CIN, a case file of the batch's
centre, active. The rows of a case file form one draft project with its lines; its totals are
the plan's (``projects.plan``), within the plan's limits. The case file's project in progress, if
it has one, is the natural key: a draft (or a project returned for changes) with the same trade,
description, cash aid and lines is left as it is ("same"); one that differs is, by the
importer's choice, replaced by the sheet's content or left out and listed; a project past that
stage (submitted, approved, funded...) is a problem on its rows. Empty project cells never erase
what a draft holds; its lines are the sheet's.

The engine keeps a project's rows in one chunk (``group``), so that each project is checked and
written whole; a case file whose rows come back further down the sheet is a problem.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_update_with_history

from beneficiaries.choices import CaseStatus
from beneficiaries.cin import normalize_cin, validate_cin
from beneficiaries.models import Beneficiary, holding_any_cin
from imports import values
from imports.choices import OnExisting
from imports.engine import Column, Row
from projects.choices import EDITABLE_STATUSES, ProjectStatus, Unit
from projects.models import EquipmentLine, LifeProject, Trade
from projects.plan import PlanTotals, line_amount, line_limit_error, plan_totals, totals_limit_error
from reintegration.history import create_with_history
from reintegration.i18n import name_order
from reintegration.models import Province

NEW, SAME, UPDATE, EXISTING = "new", "same", "update", "existing"
OUTCOMES = {
    NEW: gettext_lazy("Lines of new draft projects"),
    UPDATE: gettext_lazy("Lines of draft projects replaced"),
    SAME: gettext_lazy("Already recorded, unchanged"),
    EXISTING: gettext_lazy("Drafts with other content, left out"),
}
MAX_LINES = 100  # what the plan's form takes (``projects.forms.EquipmentLineFormSet``)
PROJECT_KEYS = ("trade", "province", "description", "cash_aid")
LINE_KEYS = ("item_fr", "item_ar", "quantity", "unit", "unit_price", "supplier")
_NUMBER = re.compile(r"^D-?0*(\d{1,9})$")


# --- Readers ------------------------------------------------------------------------------


def case_reference(value) -> tuple[str, object]:
    """("number", pk) for a case file's number (D-000123), ("cin", cin) for a CIN."""
    raw = values.text(20)(value).upper().replace(" ", "")
    if match := _NUMBER.match(raw):
        return ("number", int(match.group(1)))
    cin = normalize_cin(raw)
    try:
        validate_cin(cin)
    except ValidationError:
        raise ValidationError(_("Write the case file's number (e.g. D-000123) or the person's CIN.")) from None
    return ("cin", cin)


def quantity(*, positive: bool) -> values.Reader:
    """A quantity with at most two decimals (``EquipmentLine.quantity``); more than zero when ``positive``."""
    read_amount = values.amount(max_digits=10)

    def read(value) -> Decimal:
        try:
            number = read_amount(value)
        except ValidationError:
            raise ValidationError(_("Not a quantity: write it in figures, e.g. 2 or 1,5.")) from None
        if positive and number <= 0:
            raise ValidationError(_("The quantity must be more than zero."))
        return number

    return read


def columns() -> list[Column]:
    return [
        Column(
            "case",
            gettext_lazy("Case file"),
            case_reference,
            required=True,
            help=gettext_lazy("The case file's number, or the person's CIN: an active case file of the centre."),
            example="D-000123",
        ),
        Column(
            "trade",
            gettext_lazy("Trade"),
            values.choice(values.coded(Trade), what=lambda: _("trades")),
            required=True,
            help=gettext_lazy("Its name in French or Arabic, or its code. The same on each row of the project."),
            options=lambda: [str(trade) for trade in Trade.objects.order_by(name_order())],
        ),
        Column(
            "province",
            gettext_lazy("Province of the activity"),
            values.choice(values.coded(Province), what=lambda: _("provinces")),
            help=gettext_lazy("Where the activity will run. Empty: the person's province of residence."),
            options=lambda: [str(p) for p in Province.objects.order_by(name_order())],
        ),
        Column("description", gettext_lazy("Project description"), values.text(2000)),
        Column(
            "cash_aid",
            gettext_lazy("Cash start-up aid"),
            values.amount(max_digits=14),
            help=gettext_lazy("In dirhams; empty for none."),
            example="2000",
        ),
        Column(
            "item_fr",
            gettext_lazy("Item in French"),
            values.text(200),
            help=gettext_lazy("One row per equipment line. A row without item: a project with cash aid only."),
            example="Four à pain",
        ),
        Column("item_ar", gettext_lazy("Item in Arabic"), values.text(200), example="فرن الخبز"),
        Column("quantity", gettext_lazy("Quantity"), quantity(positive=True), example="1"),
        Column(
            "unit",
            gettext_lazy("Unit"),
            values.choice(values.labels_of(Unit), what=lambda: _("units")),
            help=gettext_lazy("Empty: piece."),
            options=lambda: values.label_list(Unit),
        ),
        Column("unit_price", gettext_lazy("Unit price"), values.amount(max_digits=14), example="14500"),
        Column("supplier", gettext_lazy("Supplier"), values.text(200)),
    ]


# --- A project as the sheet writes it ---------------------------------------------------------


@dataclass
class Plan:
    """One project's rows: its columns, its lines, what the import does with it."""

    key: tuple
    rows: list[Row]
    fields: dict = field(default_factory=dict)  # the filled project cells
    lines: list[dict] = field(default_factory=list)
    case: Beneficiary | None = None
    project: LifeProject | None = None  # the case file's project in progress

    def problem(self, column: Column | None, message: str) -> None:
        """A problem of the whole project, on each of its rows (its cell marked on each)."""
        for row in self.rows:
            row.problem(column, message, shown(row.values.get(column.key)) if column else None)

    @property
    def failed(self) -> bool:
        return any(row.problems for row in self.rows)

    def line_tuples(self) -> Counter:
        return Counter(_line_tuple(line) for line in self.lines)


def shown(value):
    """A value read, as the report shows it: a case file by its reference, a trade by its name."""
    if isinstance(value, tuple):  # case_reference's
        return f"D-{value[1]:06d}" if value[0] == "number" else value[1]
    return str(value) if isinstance(value, models.Model) else value


def _line_tuple(line) -> tuple:
    get = line.get if isinstance(line, dict) else lambda key: getattr(line, key)
    return (
        get("item_fr"),
        get("item_ar") or "",
        Decimal(get("quantity")),
        get("unit"),
        Decimal(get("unit_price")),
        get("supplier") or "",
    )


def consecutive(rows: list[Row], key) -> list[tuple[object, list[Row]]]:
    """Consecutive rows with the same key, in the order of the sheet."""
    groups: list[tuple[object, list[Row]]] = []
    for row in rows:
        if groups and groups[-1][0] == key(row):
            groups[-1][1].append(row)
        else:
            groups.append((key(row), [row]))
    return groups


class Projects:
    """One run (a check or an import) of a projects sheet into ``batch.centre``."""

    code = "projects"
    outcomes = OUTCOMES
    template_columns = staticmethod(columns)

    def __init__(self, batch):
        self.batch = batch
        self.by = batch.uploaded_by
        self.present: set[str] = set()
        self.seen: dict[tuple, int] = {}  # case file as written → the first row of its project
        self.cases_seen: dict[int, int] = {}  # case file found → the first row of its project

    def columns(self, batch) -> list[Column]:
        self._columns = columns()
        self.by_key = {column.key: column for column in self._columns}
        return self._columns

    def start(self, present: set[str]) -> None:
        self.present = present

    @staticmethod
    def group(row: Row):
        return row.values.get("case")

    # --- Check -------------------------------------------------------------------------

    def check(self, batch, rows: list[Row]) -> None:
        plans = []
        for key, group in consecutive(rows, self.group):
            plan = Plan(key=key, rows=group)
            if key in self.seen:
                plan.problem(
                    self.by_key["case"],
                    _("The rows of one project follow each other: this case file's first row is row %(row)s.")
                    % {"row": self.seen[key]},
                )
                continue
            self.seen[key] = group[0].number
            self._read_plan(plan)
            if not plan.failed:
                plans.append(plan)
        self._against_recorded(plans)

    def _read_plan(self, plan: Plan) -> None:
        first_at: dict[str, int] = {}
        for row in plan.rows:
            for key in PROJECT_KEYS:
                value = row.values.get(key)
                if value in (None, ""):
                    continue
                if key not in plan.fields:
                    plan.fields[key], first_at[key] = value, row.number
                elif value != plan.fields[key]:
                    row.problem(
                        self.by_key[key],
                        _("Row %(row)s gives this project another value: write the same on each of its rows.")
                        % {"row": first_at[key]},
                        shown(value),
                    )
            line = self._read_line(row)
            if line is not None:
                plan.lines.append(line)
                if len(plan.lines) == MAX_LINES + 1:
                    row.problem(None, _("At most %(max)s equipment lines per project.") % {"max": MAX_LINES})

    def _read_line(self, row: Row) -> dict | None:
        cells = row.values
        if all(cells.get(key) in (None, "") for key in LINE_KEYS):
            return None  # no line on this row: the project's cash aid, say
        for key in ("item_fr", "quantity", "unit_price"):
            if cells.get(key) in (None, ""):
                row.problem(self.by_key[key], _("Required."))
        if row.problems:
            return None
        line = {key: cells.get(key) or "" for key in LINE_KEYS}
        line["unit"] = cells.get("unit") or Unit.PIECE
        line["amount"] = line_amount(line["quantity"], line["unit_price"])
        error = line_limit_error(line["amount"])
        if error:
            row.problem(self.by_key["unit_price"], " ".join(error.messages), cells["unit_price"])
            return None
        return line

    def _against_recorded(self, plans: list[Plan]) -> None:
        if not plans:
            return
        numbers = [plan.key[1] for plan in plans if plan.key[0] == "number"]
        cins = [plan.key[1] for plan in plans if plan.key[0] == "cin"]
        # Only the batch's centre is searched: a number or CIN elsewhere reads as unknown here.
        found = Beneficiary.objects.filter(Q(pk__in=numbers) | holding_any_cin(cins), centre=self.batch.centre)
        found = found.only("pk", "cin", "centre_id", "status", "anonymised_at", "province_id")
        by_number = {case.pk: case for case in found}
        by_cin = {case.cin: case for case in by_number.values() if case.cin}
        current = {
            project.beneficiary_id: project
            for project in LifeProject.objects.active().filter(beneficiary_id__in=by_number).prefetch_related("lines")
        }
        for plan in plans:
            kind, value = plan.key
            plan.case = by_number.get(value) if kind == "number" else by_cin.get(value)
            if plan.case is not None and plan.case.pk in self.cases_seen:  # by its number, then its CIN
                plan.problem(
                    self.by_key["case"],
                    _("The same case file as row %(row)s: write a project's rows one after the other.")
                    % {"row": self.cases_seen[plan.case.pk]},
                )
                continue
            if plan.case is not None:
                self.cases_seen[plan.case.pk] = plan.rows[0].number
            self._decide(plan, current.get(plan.case.pk) if plan.case else None)

    def _decide(self, plan: Plan, project: LifeProject | None) -> None:
        case, column = plan.case, self.by_key["case"]
        if case is None:
            plan.problem(
                column, _("No case file of %(centre)s has this number or CIN.") % {"centre": self.batch.centre}
            )
            return
        if case.status != CaseStatus.ACTIVE or case.anonymised_at:
            plan.problem(
                column,
                _("%(file)s is not active (%(status)s): a project is opened for an active case file.")
                % {"file": case.number, "status": case.get_status_display()},
            )
            return
        if not case.writable_by(self.by):
            plan.problem(column, _("Only the centre's coordinators or an administrator write its life projects."))
            return
        plan.project = project
        if project is not None and project.status not in EDITABLE_STATUSES:
            plan.problem(
                column,
                _("%(file)s already has the project %(project)s, “%(status)s”: an import no longer changes it.")
                % {"file": case.number, "project": project.number, "status": project.get_status_display()},
            )
            return
        error = totals_limit_error(self._totals(plan))
        if error:
            plan.rows[-1].problem(None, " ".join(error.messages))
            return
        changes = self._changes(plan, project) if project is not None else None
        if changes is None:
            self._outcome(plan, NEW)
        elif not changes:
            self._outcome(plan, SAME)
        elif self.batch.on_existing == OnExisting.UPDATE:
            count = len(plan.lines)
            self._outcome(
                plan,
                UPDATE,
                ngettext(
                    "%(project)s: %(count)s line replaced (changed: %(fields)s).",
                    "%(project)s: %(count)s lines replaced (changed: %(fields)s).",
                    count,
                )
                % {"project": project.number, "fields": ", ".join(changes), "count": count},
            )
        else:
            self._outcome(
                plan,
                EXISTING,
                _("%(file)s has the draft %(project)s, with other values (%(fields)s): left out.")
                % {"file": case.number, "project": project.number, "fields": ", ".join(changes)},
            )

    def _outcome(self, plan: Plan, outcome: str, note: str = "") -> None:
        for row in plan.rows:
            row.outcome, row.target = outcome, plan
        plan.rows[0].note = note

    def _changes(self, plan: Plan, project: LifeProject) -> list[str]:
        """The labels of what differs between the sheet's project and the draft."""
        changed = []
        for key in PROJECT_KEYS:
            value = plan.fields.get(key)
            if value is None:
                continue  # an empty cell leaves the draft's value
            current = getattr(project, LifeProject._meta.get_field(key).attname)
            if current != (value.pk if key in ("trade", "province") else value):
                changed.append(str(self.by_key[key].label))
        if plan.line_tuples() != Counter(_line_tuple(line) for line in project.lines.all()):
            changed.append(str(_("equipment lines")))
        return changed

    # --- Write ---------------------------------------------------------------------------

    def write(self, batch, rows: list[Row]) -> None:
        plans = {id(row.target): row.target for row in rows if row.outcome in (NEW, UPDATE)}
        new = [plan for plan in plans.values() if plan.project is None]
        replaced = [plan for plan in plans.values() if plan.project is not None]
        if new:
            self._create(new)
        if replaced:
            self._replace(replaced)
        lines = [
            EquipmentLine(project=plan.project, **{key: line[key] for key in (*LINE_KEYS, "amount")})
            for plan in plans.values()
            for line in plan.lines
        ]
        EquipmentLine.objects.bulk_create(lines, batch_size=500)

    def _create(self, plans: list[Plan]) -> None:
        projects = []
        for plan in plans:
            fields = plan.fields
            projects.append(
                LifeProject(
                    beneficiary=plan.case,
                    status=ProjectStatus.DRAFT,
                    created_by=self.by,
                    trade=fields["trade"],
                    province_id=fields["province"].pk if fields.get("province") else plan.case.province_id,
                    description=fields.get("description", ""),
                    **self._money(plan),
                )
            )
        try:  # one transaction (create_with_history's): a refusal leaves no project and no history
            created = create_with_history(projects, LifeProject, user=self.by)
        except IntegrityError as error:  # lifeproject_one_active_per_person: opened meanwhile
            raise ValidationError(
                _("A project was opened meanwhile for one of these people: nothing was imported. Check the file again.")
            ) from error
        for plan, project in zip(plans, created, strict=True):
            plan.project = project

    def _replace(self, plans: list[Plan]) -> None:
        pks = sorted(plan.project.pk for plan in plans)
        locked = set(
            LifeProject.objects.select_for_update()
            .filter(pk__in=pks, status__in=EDITABLE_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if len(locked) != len(pks):  # submitted meanwhile
            raise ValidationError(
                _("Some of these drafts were submitted meanwhile: nothing was imported. Check the file again.")
            )
        EquipmentLine.objects.filter(project_id__in=pks).delete()
        now = timezone.now()
        for plan in plans:
            project = plan.project
            for key in ("trade", "province", "description"):
                if plan.fields.get(key) is not None:
                    setattr(project, key, plan.fields[key])
            for key, value in self._money(plan).items():
                setattr(project, key, value)
            project.updated_at = now
        bulk_update_with_history(
            [plan.project for plan in plans],
            LifeProject,
            ["trade", "province", "description", "cash_aid", "equipment_total", "total", "updated_at"],
            batch_size=500,
            default_user=self.by,
        )

    @staticmethod
    def _totals(plan: Plan) -> PlanTotals:
        """The plan's totals (``projects.plan``); an empty cash aid cell keeps the draft's."""
        cash = plan.fields.get("cash_aid")
        if cash is None and plan.project is not None:
            cash = plan.project.cash_aid
        return plan_totals(((line["quantity"], line["unit_price"]) for line in plan.lines), cash)

    def _money(self, plan: Plan) -> dict:
        totals = self._totals(plan)
        return {"cash_aid": totals.cash_aid, "equipment_total": totals.equipment, "total": totals.total}
