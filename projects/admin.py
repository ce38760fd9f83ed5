from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from projects.forms import KitLineForm
from projects.models import (
    Commitment,
    Envelope,
    EnvelopeFunder,
    EquipmentLine,
    FollowUpVisit,
    KitLine,
    LifeProject,
    Sector,
    StandardKit,
    Trade,
)
from reintegration.admin_site import ReadOnlyAdminMixin


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar"]


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "sector"]
    list_filter = ["sector"]
    search_fields = ["name_fr", "name_ar"]


class KitLineInline(admin.TabularInline):
    model = KitLine
    form = KitLineForm
    extra = 0


@admin.register(StandardKit)
class StandardKitAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_ar", "trade_list"]
    list_filter = ["trades__sector", "trades"]
    filter_horizontal = ["trades"]
    inlines = [KitLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("trades")

    @admin.display(description=_("trades"))
    def trade_list(self, kit: StandardKit) -> str:
        return ", ".join(sorted(trade.name for trade in kit.trades.all()))


class EquipmentLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EquipmentLine
    extra = 0


@admin.register(LifeProject)
class LifeProjectAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["id", "beneficiary", "status", "trade", "province", "total"]
    list_filter = ["status", "trade__sector"]
    raw_id_fields = ["beneficiary", "created_by"]
    inlines = [EquipmentLineInline]


class FunderInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EnvelopeFunder
    extra = 0


@admin.register(Envelope)
class EnvelopeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "program", "fiscal_year", "amount", "committed", "delivered", "is_active"]
    list_filter = ["program", "fiscal_year", "is_active"]
    inlines = [FunderInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "envelope", "amount", "delivered_amount", "status", "created_at"]
    list_filter = ["status"]


@admin.register(FollowUpVisit)
class FollowUpVisitAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "months_after", "due_on", "done_on", "activity_running"]
    raw_id_fields = ["project", "recorded_by"]
