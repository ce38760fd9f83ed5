"""This app's contributions to the case timeline: registration, accompaniment, transfers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from beneficiaries.choices import ActionKind, DuplicateDecision, TransferStatus
from beneficiaries.selectors import case_actions, case_transfers, duplicate_flag_detail
from beneficiaries.timeline import TimelineEntry, register

ACTION_ICONS = {
    ActionKind.SOCIAL: "people",
    ActionKind.HEALTH: "heart-pulse",
    ActionKind.ADMINISTRATIVE: "file-earmark-text",
    ActionKind.PROFESSIONAL: "tools",
    ActionKind.OTHER: "chat-dots",
}


@register
def registration(case, user):
    yield TimelineEntry(
        when=case.created_at,
        icon="folder-plus",
        title=_("Case file opened"),
        by=str(case.created_by or ""),
        muted=True,
    )


@register
def accompaniment(case, user):
    writable = case.writable_by(user)
    for action in case_actions(case):
        details = []
        if action.outcome:
            details.append(_("Outcome: %(text)s") % {"text": action.outcome})
        if action.next_step:
            when = f" ({action.next_step_on:%d/%m/%Y})" if action.next_step_on else ""
            details.append(_("Next step: %(text)s") % {"text": action.next_step + when})
        yield TimelineEntry(
            when=action.date,
            icon=ACTION_ICONS.get(action.kind, "chat-dots"),
            title=_("Accompaniment — %(kind)s") % {"kind": action.get_kind_display()},
            body=action.description,
            detail=" · ".join(details),
            by=str(action.recorded_by),
            url=reverse("beneficiaries:action_edit", args=[case.pk, action.pk]) if writable else "",
        )


@register
def duplicate_flag(case, user):
    """The registration over a duplicate warning, or the scan's finding, and HQ's decision."""
    detail = duplicate_flag_detail(case, user)
    if detail is None:
        return
    flag = detail.flag
    files = ", ".join(
        candidate.beneficiary.number if candidate.visible else str(candidate.beneficiary.centre)
        for candidate in detail.candidates
    )
    yield TimelineEntry(
        when=flag.recorded_at,
        icon="people",
        title=_("Possible duplicate of %(files)s") % {"files": files},
        body=flag.reason,
        detail=flag.get_source_display(),
        by=str(flag.recorded_by or ""),
    )
    if flag.decided_at:
        yield TimelineEntry(
            when=flag.decided_at,
            icon="check2-circle" if flag.decision == DuplicateDecision.DIFFERENT else "link-45deg",
            title=_("Possible duplicate decided: %(decision)s") % {"decision": flag.get_decision_display()},
            body=flag.decision_note,
            by=str(flag.decided_by),
        )


@register
def transfers(case, user):
    for transfer in case_transfers(case):
        title = _("Transfer from %(from)s to %(to)s") % {"from": transfer.from_centre, "to": transfer.to_centre}
        yield TimelineEntry(
            when=transfer.decided_at or transfer.requested_at,
            icon="arrow-left-right",
            title=f"{title} — {transfer.get_status_display()}",
            body=transfer.reason,
            detail=transfer.decision_note,
            by=str(transfer.decided_by or transfer.requested_by),
            muted=transfer.status in (TransferStatus.REFUSED, TransferStatus.CANCELLED),
        )
