from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class AdministratorsAdminSite(AdminSite):
    """The Django admin, for the administrator role only.

    Coordinators and HQ staff work in the application's own pages; the admin
    is a maintenance tool, so nobody else may open it even if flagged staff.
    """

    site_header = _("Reintegration — administration")
    site_title = _("Reintegration administration")
    index_title = _("Reference data and accounts")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_administrator)


class ReadOnlyAdminMixin:
    """For records that change only through the application's services (money, workflow,
    audit logs): the admin shows them but cannot add, change or delete them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
