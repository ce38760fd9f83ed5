"""The indicator catalogue: one definition per figure, read by every page, export and report.

Each indicator has a name and a one-line definition (shown next to the figure and in the
report), a unit, and the one selector of ``reports.figures`` that computes it. ``compute`` runs
each selector needed once and returns ``{key: value}``; nothing else computes a headline figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reports import figures
from reports.filters import DashboardFilters

PEOPLE, PROJECTS, VISITS, EVENTS = "people", "projects", "visits", "events"
DH, PERCENT, DAYS = "dh", "percent", "days"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: Promise
    definition: Promise
    unit: str
    selector: Callable[..., figures.Scan]  # called as selector(filters=...)
    # For a share: the count it is a share of ("of N assessed"), another indicator's key.
    base: str = ""

    @property
    def counts_people(self) -> bool:
        """Counts of people or of their projects: small ones may single someone out."""
        return self.unit in (PEOPLE, PROJECTS)


def _i(key, name, definition, unit, selector, base="") -> Indicator:
    return Indicator(key, name, definition, unit, selector, base)


P, J, M, E, F = (
    figures.people_scan,
    figures.project_scan,
    figures.commitment_scan,
    figures.envelope_scan,
    figures.visit_scan,
)

CATALOGUE: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in [
        # People
        _i("people_registered", _("People registered"), _("Case files opened in the period."), PEOPLE, P),
        _i(
            "cases_active",
            _("Active case files"),
            _("Of the people registered in the period, those whose case file is still active."),
            PEOPLE,
            P,
        ),
        _i(
            "people_with_project",
            _("With a life project"),
            _("Of the people registered in the period, those who have a life project."),
            PEOPLE,
            P,
        ),
        _i("women", _("Women"), _("Women among the people registered in the period."), PEOPLE, P),
        _i(
            "women_share",
            _("Share of women"),
            _("Women as a share of the people registered in the period."),
            PERCENT,
            P,
            base="people_registered",
        ),
        # Projects, by the day they reached each step
        _i(
            "projects_submitted",
            _("Projects submitted"),
            _("Projects first submitted for approval in the period."),
            PROJECTS,
            J,
        ),
        _i("projects_approved", _("Projects approved"), _("Projects approved by HQ in the period."), PROJECTS, J),
        _i(
            "projects_funded",
            _("Projects funded"),
            _("Projects whose cost was committed against an envelope in the period (not cancelled)."),
            PROJECTS,
            J,
        ),
        _i(
            "projects_handed_over",
            _("Equipment handed over"),
            _("Projects whose equipment was handed over at an event in the period."),
            PROJECTS,
            J,
        ),
        _i(
            "events_held",
            _("Distribution events"),
            _("Events where equipment was handed over in the period."),
            EVENTS,
            M,
        ),
        _i(
            "projects_in_follow_up",
            _("In follow-up"),
            _("Of the projects handed over in the period, those now in follow-up."),
            PROJECTS,
            J,
        ),
        _i(
            "projects_succeeded",
            _("Closed — succeeded"),
            _("Projects closed as succeeded in the period."),
            PROJECTS,
            J,
        ),
        _i(
            "projects_abandoned",
            _("Closed — abandoned"),
            _("Projects closed as abandoned in the period."),
            PROJECTS,
            J,
        ),
        # Money
        _i(
            "amount_committed",
            _("Amount committed"),
            _("What the projects funded in the period take from their envelopes (what was delivered, once delivered)."),
            DH,
            M,
        ),
        _i(
            "amount_delivered",
            _("Amount delivered"),
            _("Equipment and cash aid handed over in the period."),
            DH,
            M,
        ),
        _i(
            "amount_delivered_equipment",
            _("Equipment delivered"),
            _("The items handed over in the period, at their unit prices."),
            DH,
            M,
        ),
        _i("amount_delivered_cash", _("Cash aid delivered"), _("Cash aid handed over in the period."), DH, M),
        _i(
            "cost_average",
            _("Average cost per project"),
            _("Amount committed divided by the projects funded in the period."),
            DH,
            M,
            base="projects_funded",
        ),
        _i(
            "cost_median",
            _("Median cost per project"),
            _("Half the projects funded in the period cost less, half more."),
            DH,
            M,
            base="projects_funded",
        ),
        # Envelopes
        _i(
            "envelope_amount",
            _("Envelopes"),
            _(
                "Budget envelopes of the period's fiscal years, program and territory (national and regional "
                "envelopes are not split by province); the centre, sex, sector and trade filters do not apply."
            ),
            DH,
            E,
        ),
        _i("envelope_committed", _("Committed"), _("What those envelopes have committed."), DH, E),
        _i("envelope_delivered", _("Delivered"), _("What those envelopes have delivered."), DH, E),
        _i("envelope_available", _("Available"), _("Envelope amount less what is committed."), DH, E),
        _i(
            "envelope_consumed",
            _("Envelopes consumed"),
            _("Committed as a share of the envelopes' amount."),
            PERCENT,
            E,
        ),
        # Follow-up
        _i("visits_done", _("Follow-up visits done"), _("Visits made in the period."), VISITS, F),
        _i(
            "visits_overdue",
            _("Follow-up visits overdue"),
            _("Visits due in the period, before today, not yet made."),
            VISITS,
            F,
        ),
        _i(
            "assessed_12",
            _("Assessed at 12 months"),
            _("Projects handed over in the period whose 12-month visit has been made."),
            PROJECTS,
            F,
        ),
        _i(
            "running_12",
            _("Still running at 12 months"),
            _("Of those assessed at 12 months, the activities running fully or partly."),
            PROJECTS,
            F,
        ),
        _i(
            "running_6_share",
            _("Still running at 6 months"),
            _("Share of the projects handed over in the period and visited at 6 months whose activity runs."),
            PERCENT,
            F,
            base="assessed_6",
        ),
        _i(
            "running_12_share",
            _("Still running at 12 months"),
            _("Share of the projects handed over in the period and visited at 12 months whose activity runs."),
            PERCENT,
            F,
            base="assessed_12",
        ),
        _i(
            "running_24_share",
            _("Still running at 24 months"),
            _("Share of the projects handed over in the period and visited at 24 months whose activity runs."),
            PERCENT,
            F,
            base="assessed_24",
        ),
        _i(
            "cost_per_running_12",
            _("Cost per project running at 12 months"),
            _("Amount delivered to the projects assessed at 12 months, divided by those still running."),
            DH,
            F,
            base="running_12",
        ),
        # Delays
        _i(
            "days_release_to_registration",
            _("Release to registration"),
            _("Median days from release to the case file's opening."),
            DAYS,
            P,
        ),
        _i(
            "days_release_to_approval",
            _("Release to approval"),
            _("Median days from release to the project's approval."),
            DAYS,
            J,
        ),
        _i(
            "days_release_to_handover",
            _("Release to handover"),
            _("Median days from release to the equipment's handover."),
            DAYS,
            J,
        ),
        _i(
            "days_registration_to_submission",
            _("Registration to submission"),
            _("Median days from the case file's opening to the project's first submission."),
            DAYS,
            J,
        ),
        _i(
            "days_submission_to_approval",
            _("Submission to approval"),
            _("Median days from first submission to approval."),
            DAYS,
            J,
        ),
        _i(
            "days_approval_to_funding",
            _("Approval to funding"),
            _("Median days from approval to the commitment."),
            DAYS,
            J,
        ),
        _i(
            "days_funding_to_handover",
            _("Funding to handover"),
            _("Median days from the commitment to the handover."),
            DAYS,
            J,
        ),
    ]
}


def compute(
    filters: DashboardFilters, keys: Iterable[str] | None = None, *, scans: dict | None = None
) -> dict[str, object]:
    """The values of the indicators ``keys`` (all by default), each selector run once (``scans``:
    those already run, by name, as ``figures.run_scans`` gives them)."""
    wanted = [CATALOGUE[key] for key in (keys or CATALOGUE)]
    scans = dict(scans or {})
    for indicator in wanted:
        name = indicator.selector.__name__
        if name not in scans:
            scans[name] = indicator.selector(filters=filters)
    values: dict[str, object] = {}
    for scan in scans.values():
        values.update(scan.figures)
    return {indicator.key: values[indicator.key] for indicator in wanted} | {
        key: value for key, value in values.items() if key not in CATALOGUE
    }


HEADLINE = (
    "people_registered",
    "women_share",
    "projects_funded",
    "projects_handed_over",
    "amount_committed",
    "amount_delivered",
    "running_12_share",
    "days_release_to_handover",
)
