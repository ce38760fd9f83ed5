"""Which status a life project may move to, and who may move it.

``centre`` is the coordinator of the person's centre; ``hq`` is a program officer or an
administrator (administrators may also act as the centre). Three moves have no button:
approved → funded (a commitment is made), funded → approved (it is cancelled) and
funded → delivered (the handover is recorded); their services make them. Delivered →
in follow-up has a button and also happens when the first follow-up visit is recorded.
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
    destructive: bool = False  # set apart on the page, behind a confirmation


_CLOSE_ABANDONED = Rule(
    _("Close: abandoned"), frozenset({CENTRE, HQ}), comment_required=True, style="outline-danger", destructive=True
)

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


# What the project waits for when this user has no move forward to make (the action bar says it).
WAITING = {
    S.SUBMITTED: _("Submitted: HQ approves it or returns it with a comment."),
    S.APPROVED: _("Approved: HQ commits its funding on an envelope."),
    S.FUNDED: _("Funded: the equipment is handed over at an event."),
}


def next_steps(project, user) -> tuple[list[tuple[str, Rule]], list[tuple[str, Rule]]]:
    """This user's moves, split: those that take the project forward (the first is the page's
    primary action) and those that close it, kept apart."""
    moves = allowed_moves(project, user)
    return [m for m in moves if not m[1].destructive], [m for m in moves if m[1].destructive]
