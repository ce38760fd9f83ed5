from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reintegration.models import AuthEvent, Centre, Partner, Program, Province, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar"]
    search_fields = ["code", "name_fr", "name_ar"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "region", "iso_code"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name_fr", "name_ar"]
    list_select_related = ["region"]


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_fr", "name_ar", "city_fr", "is_active"]
    search_fields = ["code", "name_fr", "name_ar"]
    filter_horizontal = ["provinces"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "edition", "start_year", "end_year", "is_active"]
    search_fields = ["code", "name_fr", "name_ar"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_ar", "kind", "province", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_ar"]
    autocomplete_fields = ["province"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "centre", "is_active", "last_login"]
    list_filter = ["role", "centre", "is_active"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:2],
        (_("Role"), {"fields": ["role", "centre", "language", "is_active"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2", "role", "centre"]}),
    ]


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin):
    """The sign-in audit log: read only, here as anywhere (written by ``reintegration.audit``)."""

    list_display = ["at", "kind", "username", "user", "ip_address", "by"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user", "by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
