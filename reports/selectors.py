"""Figures for the home pages (and, later, the national dashboards).

Analysts see only what this module returns: counts and sums, never a row
that names a person.
"""

from django.db.models import Count

from reintegration.models import Centre, User


def accounts_by_role() -> list[dict]:
    return list(User.objects.filter(is_active=True).values("role").annotate(total=Count("id")).order_by("role"))


def organisation_summary() -> dict:
    return {
        "centres": Centre.objects.filter(is_active=True).count(),
        "provinces_covered": Centre.objects.filter(is_active=True).values("provinces").distinct().count(),
    }
