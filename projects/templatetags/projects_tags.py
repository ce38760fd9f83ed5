from django import template
from django.utils.translation import gettext_lazy as _

from projects.choices import AdministrativeNeed, HealthNeed, ProfessionalNeed, SocialNeed

register = template.Library()

DOMAINS = [
    (_("Social"), "social_needs", SocialNeed),
    (_("Health"), "health_needs", HealthNeed),
    (_("Administrative"), "administrative_needs", AdministrativeNeed),
    (_("Professional"), "professional_needs", ProfessionalNeed),
]


@register.filter
def needs_by_domain(project) -> list[tuple[str, list[str]]]:
    """The needs ticked in each domain, as labels in the user's language."""
    result = []
    for label, field, choices in DOMAINS:
        labels = dict(choices.choices)
        result.append((label, [str(labels.get(code, code)) for code in getattr(project, field) or []]))
    return result
