"""Table helpers: sortable column headers, export links, "waiting since" (see reintegration/tables.py)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reintegration.tables import Sorting

register = template.Library()

ARROWS = {"ascending": "bi-arrow-up", "descending": "bi-arrow-down", "none": "bi-arrow-down-up"}


@register.simple_tag(takes_context=True)
def sort_header(context, sorting: Sorting, key: str, label: str, css: str = "") -> str:
    """A ``<th>`` whose link sorts the list by ``key`` (the other way when it already does),
    keeping every filter of the query string and going back to the first page."""
    query = context["request"].GET.copy()
    query["sort"] = sorting.next_value(key)
    query.pop("page", None)
    aria = sorting.aria(key)
    hint = {
        "ascending": _("sorted ascending"),
        "descending": _("sorted descending"),
        "none": _("not sorted"),
    }[aria]
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="sort-link" href="?{}">{}'
        ' <i class="bi {}{}" aria-hidden="true"></i><span class="visually-hidden"> ({})</span></a></th>',
        css,
        aria,
        query.urlencode(),
        label,
        ARROWS[aria],
        "" if aria != "none" else " opacity-50",
        hint,
    )


@register.simple_tag(takes_context=True)
def export_query(context) -> str:
    """The current filters and order, for an export link (without the page number)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter
def days_since(moment) -> int | None:
    """Whole days from ``moment`` (a date or a datetime) to today, in the local time zone."""
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return (timezone.localdate() - moment).days
