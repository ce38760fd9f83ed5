from django import template

from beneficiaries.choices import CaseStatus

register = template.Library()

STATUS_CLASSES = {
    CaseStatus.ACTIVE: "text-bg-success",
    CaseStatus.CLOSED: "text-bg-secondary",
    CaseStatus.ARCHIVED: "text-bg-dark",
}


@register.filter
def cin_for(case, user) -> str:
    """The CIN as this user may see it: whole for the case's coordinator and administrators, masked otherwise."""
    return case.cin_for(user)


@register.inclusion_tag("beneficiaries/_duplicate_badge.html")
def duplicate_badge(case):
    """A mark beside a case (or its project) in lists and queues while a possible duplicate stands."""
    return {"flag": case.standing_duplicate_flag}


@register.inclusion_tag("beneficiaries/_status_badge.html")
def status_badge(case):
    return {"label": case.get_status_display(), "css": STATUS_CLASSES.get(case.status, "text-bg-light")}
