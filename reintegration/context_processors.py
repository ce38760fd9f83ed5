from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str

    @property
    def section(self) -> str:
        return self.url_name.split(":")[0]


def _items_for(user) -> list[NavItem]:
    """The menu, by role. A role sees only the sections it may open."""
    items = [NavItem("home", _("Home"), "house-door"), NavItem("dashboard:index", _("Dashboard"), "bar-chart-line")]
    if user.sees_case_files:
        items.append(NavItem("beneficiaries:list", _("Case files"), "people"))
        items.append(NavItem("projects:list", _("Projects"), "briefcase"))
        items.append(NavItem("distributions:events", _("Distributions"), "box-seam"))
    if user.is_hq or user.is_analyst:
        items.append(NavItem("envelopes:list", _("Envelopes"), "wallet2"))
    items.append(NavItem("centres:list", _("Centres"), "building"))
    if user.is_administrator:
        items.append(NavItem("users:list", _("Users"), "person-gear"))
    return items


def navigation(request) -> dict:
    """The menu for the signed-in user's role, with the current section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match  # None on a 404 page
    current = (match.namespace or match.url_name) if match else ""
    return {"nav_items": _items_for(user), "nav_current": current}
