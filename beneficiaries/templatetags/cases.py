from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from beneficiaries.choices import CaseStatus, DuplicateDecision

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


# The two badges are drawn in Python, not by an inclusion tag's template: they stand on every row
# of the case list (25 a page), where a template each cost more than the page's own query.


@register.simple_tag
def duplicate_badge(case) -> str:
    """A mark beside a case (or its project) in lists and queues while a possible duplicate stands."""
    flag = case.standing_duplicate_flag
    if flag is None:
        return "\n"
    if flag.decision == DuplicateDecision.PENDING:
        return format_html(
            ' <span class="badge text-bg-warning"><i class="bi bi-people" aria-hidden="true"></i> {}</span>\n',
            gettext("Possible duplicate"),
        )
    return format_html(
        ' <span class="badge text-bg-danger"><i class="bi bi-link-45deg" aria-hidden="true"></i> {}</span>\n',
        gettext("Second file"),
    )


@register.simple_tag
def status_badge(case) -> str:
    css = STATUS_CLASSES.get(case.status, "text-bg-light")
    return format_html('<span class="badge {}">{}</span>\n', css, case.get_status_display())
