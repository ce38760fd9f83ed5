"""Which status a life project may move to, and who may move it.

``centre`` is the coordinator of the person's centre; ``hq`` is a program officer or an
administrator (administrators may also act as the centre). Funding, cancelling a
commitment and recording a delivery move the project too, but only through their
services (``projects.services`` and the handover service), never from a button.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from projects.choices import ProjectStatus as S

CENTRE, HQ = "centre", "hq"


@dataclass(frozen=True)
class Rule:
    label: str
    by: frozenset[str]
    comment_required: bool = False
    style: str = "primary"


_CLOSE_ABANDONED = Rule(_("Close: abandoned"), frozenset({CENTRE, HQ}), comment_required=True, style="outline-danger")

RULES: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): Rule(_("Submit for approval"), frozenset({CENTRE})),
    (S.RETURNED, S.SUBMITTED): Rule(_("Submit again"), frozenset({CENTRE})),
    (S.SUBMITTED, S.APPROVED): Rule(_("Approve"), frozenset({HQ}), style="success"),
    (S.SUBMITTED, S.RETURNED): Rule(
        _("Return for changes"), frozenset({HQ}), comment_required=True, style="outline-warning"
    ),
    (S.DELIVERED, S.FOLLOW_UP): Rule(_("Start the follow-up"), frozenset({CENTRE, HQ})),
    (S.FOLLOW_UP, S.SUCCEEDED): Rule(_("Close: succeeded"), frozenset({CENTRE, HQ}), comment_required=True),
    **{
        (source, S.ABANDONED): _CLOSE_ABANDONED
        for source in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.DELIVERED, S.FOLLOW_UP)
    },
}

# Moves made by a service as a consequence of something else, never by a button.
SERVICE_MOVES = {
    (S.APPROVED, S.FUNDED),  # a commitment is made
    (S.FUNDED, S.APPROVED),  # the commitment is cancelled
    (S.FUNDED, S.DELIVERED),  # the handover is recorded
    (S.DELIVERED, S.FOLLOW_UP),  # the first follow-up visit is recorded
}


def acts_as(user, project) -> set[str]:
    roles = set()
    if user.is_hq:
        roles.add(HQ)
    if user.is_administrator or (user.is_coordinator and user.centre_id == project.beneficiary.centre_id):
        roles.add(CENTRE)
    return roles


def allowed_moves(project, user) -> list[tuple[str, Rule]]:
    """The buttons this user sees on this project."""
    roles = acts_as(user, project)
    return [(target, rule) for (source, target), rule in RULES.items() if source == project.status and rule.by & roles]
