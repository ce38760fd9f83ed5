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


@register.inclusion_tag("beneficiaries/_status_badge.html")
def status_badge(case):
    return {"label": case.get_status_display(), "css": STATUS_CLASSES.get(case.status, "text-bg-light")}
