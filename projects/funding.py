"""Which envelope may fund which approved project, and in what order to offer them.

An envelope fits a project when it is open, covers the province where the activity will run,
belongs to the person's program (when the person was registered under one), is money of the
year the project was approved, and has enough left. Every refusal names the envelope and, for
the territory, the province, so HQ knows what to change. The same rules guard the commitment
service, so a form sent with any other envelope is refused with the same words.

Among the envelopes that fit, the closest first: a province's envelope before its region's,
a region's before the national one, then the one with the least left that still covers the
project, so that the large envelopes stay for the projects only they can fund.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Envelope, LifeProject
from reintegration.money import format_amount


def project_year(project: LifeProject) -> int:
    """The fiscal year whose money funds the project: the year it was approved."""
    return (project.approved_on or timezone.localdate()).year


def over_budget(envelope: Envelope, needed: Decimal, *, left: Decimal | None = None) -> str:
    return _("Over budget: %(envelope)s has %(available)s left, and this needs %(needed)s.") % {
        "envelope": envelope.name,
        "available": format_amount(envelope.available if left is None else left),
        "needed": format_amount(needed),
    }


def refusal(envelope: Envelope, project: LifeProject, *, left: Decimal | None = None) -> str:
    """Why this envelope cannot fund this project ('' when it can). ``left`` is what the
    envelope has at this point (what it has now, by default; less further down a batch)."""
    reason = rule_refusal(envelope, project)
    left = envelope.available if left is None else left
    if not reason and project.total > left:
        reason = over_budget(envelope, project.total, left=left)
    return reason


def rule_refusal(envelope: Envelope, project: LifeProject) -> str:
    """Why this envelope may not fund this project whatever it has left ('' when it may)."""
    names = {"envelope": envelope.name, "province": project.province.name if project.province_id else ""}
    if not envelope.is_active:
        return _("%(envelope)s is closed to new commitments.") % names
    if project.province_id is None:
        return _("Choose where the activity will run before funding the project.")
    if not envelope.covers(project.province):
        return _("%(envelope)s covers %(territory)s, not %(province)s where the activity will run.") % {
            **names,
            "territory": envelope.territory,
        }
    program_id = project.beneficiary.program_id
    if program_id and envelope.program_id != program_id:
        return _("%(envelope)s is money of %(program)s; this person is in %(case_program)s.") % {
            **names,
            "program": envelope.program,
            "case_program": project.beneficiary.program,
        }
    year = project_year(project)
    if envelope.fiscal_year != year:
        return _("%(envelope)s is money of %(fiscal_year)s; this project was approved in %(year)s.") % {
            **names,
            "fiscal_year": envelope.fiscal_year,
            "year": year,
        }
    return ""


def _closeness(envelope: Envelope) -> int:
    return 0 if envelope.province_id else 1 if envelope.region_id else 2


@dataclass(frozen=True)
class Offer:
    """The envelopes offered for a project, best first, and the others with why not."""

    fitting: list[Envelope]
    refused: list[tuple[Envelope, str]]

    @property
    def best(self) -> Envelope | None:
        return self.fitting[0] if self.fitting else None


def offer(project: LifeProject, envelopes: Iterable[Envelope]) -> Offer:
    fitting, refused = [], []
    for envelope in envelopes:
        reason = refusal(envelope, project)
        if reason:
            refused.append((envelope, reason))
        else:
            fitting.append(envelope)
    fitting.sort(key=lambda e: (_closeness(e), e.available, e.name))
    return Offer(fitting=fitting, refused=refused)


@dataclass(frozen=True)
class BatchLine:
    """One project of a batch on one envelope: what is left after it, or why it cannot be."""

    project: LifeProject
    left_after: Decimal
    refusal: str


@dataclass(frozen=True)
class Batch:
    envelope: Envelope
    lines: list[BatchLine]

    @property
    def total(self) -> Decimal:
        return sum((line.project.total for line in self.lines), Decimal("0.00"))

    @property
    def left_after(self) -> Decimal:
        return self.lines[-1].left_after if self.lines else self.envelope.available

    @property
    def refusals(self) -> list[BatchLine]:
        return [line for line in self.lines if line.refusal]

    @property
    def fits(self) -> bool:
        return bool(self.lines) and not self.refusals


def batch(envelope: Envelope, projects: Sequence[LifeProject]) -> Batch:
    """The projects in the order given, each with the envelope's running balance after it; a
    project the envelope cannot take (territory, program, year, or the money left once the
    projects before it are counted) carries the reason and takes nothing from the balance."""
    lines, left = [], envelope.available
    for project in projects:
        reason = refusal(envelope, project, left=left)
        if not reason:
            left -= project.total
        lines.append(BatchLine(project=project, left_after=left, refusal=reason))
    return Batch(envelope=envelope, lines=lines)


def best_for(projects: Sequence[LifeProject], envelopes: Iterable[Envelope]) -> Envelope | None:
    """The envelope that can fund the most of these projects together, the closest first."""
    ranked = []
    for envelope in envelopes:
        fitted = sum(1 for line in batch(envelope, projects).lines if not line.refusal)
        if fitted:
            ranked.append((-fitted, _closeness(envelope), envelope.available, envelope.name, envelope))
    return min(ranked, key=lambda row: row[:4])[-1] if ranked else None
