from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from distributions.models import Event, Handover, HandoverItem, Operation
from reintegration.admin_site import ReadOnlyAdminMixin


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_ar", "program", "year"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "province", "venue_fr", "operation", "status"]
    list_filter = ["status", "operation"]
    raw_id_fields = ["province", "created_by"]
    readonly_fields = ["status"]


class HandoverItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = HandoverItem
    extra = 0


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Handovers and their receipt numbers change only through the application."""

    list_display = ["receipt_number", "event", "project", "status", "delivered_on", "print_count"]
    list_filter = ["status"]
    inlines = [HandoverItemInline]
