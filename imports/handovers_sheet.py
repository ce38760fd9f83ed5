"""Handovers at an event from a sheet: one row per item delivered, the rows of one project one
after the other, the date and the cash aid on the project's first row.

The batch's event and the project (P-000081, a funded project of the batch's centre) are the
natural key. A project not yet on the event's list is put on it (``handover_plan``), then its
delivery recorded (``handover_record``); one planned there is recorded; one recorded there with
the same date, quantities and cash aid is left as it is ("same"); one recorded with other values,
or on another event's list, is a problem. An item of the plan that no row names was not
delivered (quantity 0: a partial delivery).

The check reads only: every refusal of the services (the event closed, the project not funded or
outside the event's region, a date before the event or in the future, the envelope short of an
extra amount) is foreseen there, without a lock or a write; ``write`` then calls the services in
the import's transaction, and a refusal there undoes the whole import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from distributions.choices import EventStatus, HandoverStatus
from distributions.models import Event, Handover
from distributions.services import handover_plan, handover_record
from imports import values
from imports.engine import Column, Row
from imports.projects_sheet import consecutive, quantity
from projects import funding
from projects.choices import CommitmentStatus, ProjectStatus
from projects.models import ZERO, Commitment, LifeProject
from projects.plan import line_amount, line_limit_error

RECORDED, SAME = "recorded", "same"
OUTCOMES = {
    RECORDED: gettext_lazy("Items recorded as handed over"),
    SAME: gettext_lazy("Already recorded, unchanged"),
}
BLOCK_KEYS = ("delivered_on", "cash_aid")
_NUMBER = re.compile(r"^P-?0*(\d{1,9})$")


def project_number(value) -> int:
    raw = values.text(20)(value).upper().replace(" ", "")
    if match := _NUMBER.match(raw):
        return int(match.group(1))
    raise ValidationError(_("Write the project's number, e.g. P-000081."))


def columns() -> list[Column]:
    return [
        Column(
            "project",
            gettext_lazy("Project"),
            project_number,
            required=True,
            help=gettext_lazy("Its number: a funded project of the centre."),
            example="P-000081",
        ),
        Column(
            "delivered_on",
            gettext_lazy("Handed over on"),
            values.date,
            required=True,
            cell_required=False,
            help=gettext_lazy("On the project's first row."),
            example="24/05/2026",
        ),
        Column(
            "item",
            gettext_lazy("Item"),
            values.text(200),
            help=gettext_lazy("Its name in French or in Arabic, as in the project's plan. One row per item."),
            example="Four à pain",
        ),
        Column("quantity", gettext_lazy("Delivered quantity"), quantity(positive=False), example="1"),
        Column(
            "cash_aid",
            gettext_lazy("Cash aid handed over"),
            values.amount(max_digits=14),
            help=gettext_lazy("In dirhams, on the project's first row; 0 if none was handed over."),
            example="3000",
        ),
    ]


@dataclass
class Delivery:
    """One project's rows: what was handed over, against what its handover plans."""

    key: int
    rows: list[Row]
    fields: dict = field(default_factory=dict)
    project: LifeProject | None = None
    handover: Handover | None = None  # on this event's list already
    quantities: dict = field(default_factory=dict)  # plan item (handover item or line) pk → delivered
    planned: list = field(default_factory=list)  # the items the handover has (or will have)

    def problem(self, column: Column | None, message: str) -> None:
        for row in self.rows:
            value = row.values.get(column.key) if column else None
            row.problem(column, message, f"P-{value:06d}" if column and column.key == "project" else value)

    @property
    def failed(self) -> bool:
        return any(row.problems for row in self.rows)


class Handovers:
    """One run (a check or an import) of a handovers sheet for ``batch.event``."""

    code = "handovers"
    outcomes = OUTCOMES
    template_columns = staticmethod(columns)

    def __init__(self, batch):
        self.batch = batch
        self.by = batch.uploaded_by
        self.seen: dict[int, int] = {}  # project → its first row
        self.left: dict[int, Decimal] = {}  # envelope → what it has left, down the sheet
        self.event: Event | None = None
        self.hosted = False

    def columns(self, batch) -> list[Column]:
        self._columns = columns()
        self.by_key = {column.key: column for column in self._columns}
        return self._columns

    def start(self, present: set[str]) -> None:
        self.event = Event.objects.select_related("province").get(pk=self.batch.event_id)
        self.hosted = self.event.writable_by(self.by)  # may put projects on its list (one query)

    @staticmethod
    def group(row: Row):
        return row.values.get("project")

    # --- Check -------------------------------------------------------------------------

    def check(self, batch, rows: list[Row]) -> None:
        deliveries = []
        for key, group in consecutive(rows, self.group):
            delivery = Delivery(key=key, rows=group)
            if key in self.seen:
                delivery.problem(
                    self.by_key["project"],
                    _("The rows of one project follow each other: this project's first row is row %(row)s.")
                    % {"row": self.seen[key]},
                )
                continue
            self.seen[key] = group[0].number
            self._read(delivery)
            if not delivery.failed:
                deliveries.append(delivery)
        if not deliveries:
            return
        found = self._projects([delivery.key for delivery in deliveries])
        for delivery in deliveries:
            delivery.project = found.get(delivery.key)
            self._decide(delivery)

    def _read(self, delivery: Delivery) -> None:
        first_at: dict[str, int] = {}
        for row in delivery.rows:
            for key in BLOCK_KEYS:
                value = row.values.get(key)
                if value is None:
                    continue
                if key not in delivery.fields:
                    delivery.fields[key], first_at[key] = value, row.number
                elif value != delivery.fields[key]:
                    row.problem(
                        self.by_key[key],
                        _("Row %(row)s gives this project another value: write the same on each of its rows.")
                        % {"row": first_at[key]},
                        value,
                    )
            if (row.values.get("item") is None) != (row.values.get("quantity") is None):
                missing = "quantity" if row.values.get("quantity") is None else "item"
                row.problem(self.by_key[missing], _("Required."))
        if "delivered_on" not in delivery.fields and not delivery.failed:
            delivery.rows[0].problem(self.by_key["delivered_on"], _("Required on the project's first row."))

    def _projects(self, pks: list[int]) -> dict[int, LifeProject]:
        """The projects of the batch's centre, with their handover, plan and commitment (5 queries)."""
        return (
            LifeProject.objects.filter(pk__in=pks, beneficiary__centre_id=self.batch.centre_id)
            .select_related("beneficiary", "province", "handover__event__province")
            .prefetch_related(
                "lines",
                "handover__items",
                Prefetch(
                    "commitments",
                    queryset=Commitment.objects.filter(status=CommitmentStatus.ACTIVE).select_related("envelope"),
                    to_attr="active_commitments",
                ),
            )
            .in_bulk()
        )

    def _decide(self, delivery: Delivery) -> None:
        project, column = delivery.project, self.by_key["project"]
        if project is None:
            delivery.problem(column, _("No project of %(centre)s has this number.") % {"centre": self.batch.centre})
            return
        handover = getattr(project, "handover", None)
        if handover is not None and handover.event_id != self.event.pk:
            delivery.problem(
                column,
                _("%(project)s is on the list of another event (%(event)s).")
                % {"project": project.number, "event": handover.event},
            )
            return
        if handover is None and not self._may_plan(delivery):
            return
        delivery.handover = handover
        delivery.planned = list(handover.items.all()) if handover else list(project.lines.all())
        if not self._match_items(delivery):
            return
        if handover is not None and handover.status != HandoverStatus.PLANNED:
            self._compare(delivery)
            return
        if self._may_record(delivery):
            for row in delivery.rows:
                row.outcome, row.target = RECORDED, delivery
            partial = self._partial(delivery)
            steps = _("put on the list and recorded") if handover is None else _("recorded")
            delivery.rows[0].note = (
                _("%(project)s: %(steps)s, a partial delivery.") if partial else _("%(project)s: %(steps)s.")
            ) % {"project": project.number, "steps": steps}

    def _may_plan(self, delivery: Delivery) -> bool:
        """What ``handover_plan`` would refuse, foreseen."""
        project, column = delivery.project, self.by_key["project"]
        if self.event.status == EventStatus.CLOSED:
            delivery.problem(None, _("This event is closed."))
        elif not self.hosted:
            delivery.problem(
                column,
                _("%(project)s is not on this event's list, and only HQ or the centre of its province add to it.")
                % {"project": project.number},
            )
        elif project.status != ProjectStatus.FUNDED:
            delivery.problem(
                column,
                _("%(project)s is “%(status)s”: only a funded project can be handed over.")
                % {"project": project.number, "status": project.get_status_display()},
            )
        elif project.province is None or project.province.region_id != self.event.province.region_id:
            delivery.problem(column, _("The project is located outside the event's region."))
        return not delivery.failed

    def _match_items(self, delivery: Delivery) -> bool:
        """Each row's item, found in the plan by its French or Arabic name; each item once."""
        free = list(delivery.planned)
        named_at: dict[int, int] = {}
        for row in delivery.rows:
            written = row.values.get("item")
            if written is None:
                continue
            name = values.fold(written)
            item = next(
                (item for item in free if name in (values.fold(item.item_fr), values.fold(item.item_ar or ""))), None
            )
            if item is None:
                again = next((pk for pk, at in named_at.items() if name in _names(delivery.planned, pk)), None)
                message = (
                    _("This item is already on row %(row)s.") % {"row": named_at[again]}
                    if again is not None
                    else _("Not an item of %(project)s's plan (%(items)s).")
                    % {"project": delivery.project.number, "items": ", ".join(i.item_fr for i in delivery.planned)}
                )
                row.problem(self.by_key["item"], message, written)
                continue
            free.remove(item)
            named_at[item.pk] = row.number
            delivery.quantities[item.pk] = row.values["quantity"]
            error = line_limit_error(line_amount(row.values["quantity"], item.unit_price))
            if error:
                row.problem(self.by_key["quantity"], " ".join(error.messages), row.values["quantity"])
        return not delivery.failed

    def _cash(self, delivery: Delivery) -> Decimal | None:
        cash = delivery.fields.get("cash_aid")
        return ZERO if cash is None and not delivery.project.cash_aid else cash

    def _compare(self, delivery: Delivery) -> None:
        """A handover recorded already: the same values are "same", others a problem."""
        handover = delivery.handover
        differs = (
            handover.delivered_on != delivery.fields["delivered_on"]
            or (self._cash(delivery) is not None and handover.cash_aid_delivered != self._cash(delivery))
            or any(item.quantity != delivery.quantities.get(item.pk, ZERO) for item in delivery.planned)
        )
        if differs:
            delivery.problem(
                self.by_key["project"],
                _("%(project)s's handover is already recorded, with other values: an import does not change it.")
                % {"project": delivery.project.number},
            )
            return
        for row in delivery.rows:
            row.outcome, row.target = SAME, delivery

    def _may_record(self, delivery: Delivery) -> bool:
        """What ``handover_record`` (and the envelope's ``commitment_deliver``) would refuse, foreseen."""
        project, day = delivery.project, delivery.fields["delivered_on"]
        date_column, first = self.by_key["delivered_on"], delivery.rows[0]
        if self._cash(delivery) is None:
            first.problem(self.by_key["cash_aid"], _("Write the cash aid handed over (0 if none)."))
        if day > timezone.localdate():
            first.problem(date_column, _("A handover is recorded once made: the date cannot be in the future."), day)
        elif day < self.event.date:
            first.problem(date_column, _("The handover cannot come before the event."), day)
        if self.event.status == EventStatus.CLOSED:
            delivery.problem(None, _("This event is closed."))
        commitment = next(iter(project.active_commitments), None)
        if commitment is None or project.status != ProjectStatus.FUNDED:
            delivery.problem(self.by_key["project"], _("Only a funded project can be delivered."))
        if delivery.failed:
            return False
        envelope = commitment.envelope
        left = self.left.setdefault(envelope.pk, envelope.available)
        extra = self._total(delivery) - commitment.amount
        if extra > left:
            delivery.problem(None, funding.over_budget(envelope, extra, left=left))
            return False
        self.left[envelope.pk] = left - extra
        return True

    def _total(self, delivery: Delivery) -> Decimal:
        equipment = sum(
            (line_amount(delivery.quantities.get(item.pk, ZERO), item.unit_price) for item in delivery.planned), ZERO
        )
        return equipment + self._cash(delivery)

    def _partial(self, delivery: Delivery) -> bool:
        planned = {item.pk: item.planned_quantity if delivery.handover else item.quantity for item in delivery.planned}
        return self._cash(delivery) < delivery.project.cash_aid or any(
            delivery.quantities.get(pk, ZERO) < quantity for pk, quantity in planned.items()
        )

    # --- Write ---------------------------------------------------------------------------

    def write(self, batch, rows: list[Row]) -> None:
        deliveries = {row.target.key: row.target for row in rows if row.outcome == RECORDED}
        for key in sorted(deliveries):  # projects locked in the order of their keys
            delivery = deliveries[key]
            try:
                self._record(delivery)
            except (ValidationError, PermissionDenied) as error:  # foreseen by the check: the data changed
                reason = " ".join(error.messages) if isinstance(error, ValidationError) else _("Not allowed.")
                raise ValidationError(
                    _("%(project)s: %(reason)s") % {"project": delivery.project.number, "reason": reason}
                ) from error

    def _record(self, delivery: Delivery) -> None:
        handover = delivery.handover
        if handover is None:
            handover = handover_plan(project=delivery.project, event=self.event, by=self.by)
            by_line = {item.equipment_line_id: item.pk for item in handover.items.all()}
            quantities = {by_line[pk]: value for pk, value in delivery.quantities.items()}
        else:
            quantities = delivery.quantities
        items = [{"id": pk, "quantity": quantities.get(pk, ZERO)} for pk in handover.items.values_list("pk", flat=True)]
        handover_record(
            handover=handover,
            items=items,
            cash_aid=self._cash(delivery),
            delivered_on=delivery.fields["delivered_on"],
            by=self.by,
        )


def _names(planned: list, pk: int) -> set[str]:
    item = next(item for item in planned if item.pk == pk)
    return {values.fold(item.item_fr), values.fold(item.item_ar or "")}
