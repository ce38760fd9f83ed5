from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.cin import cin_digest
from beneficiaries.models import (
    AccompanimentAction,
    Beneficiary,
    CaseExport,
    CaseView,
    CinLookup,
    Document,
    Training,
    Transfer,
)
from reintegration.admin_site import ReadOnlyAdminMixin


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Beneficiary)
class BeneficiaryAdmin(SimpleHistoryAdmin):
    list_display = ["id", "last_name_latin", "first_name_latin", "last_name_ar", "centre", "province", "status"]
    list_filter = ["status", "centre", "sex", "release_type"]
    search_fields = ["last_name_latin", "first_name_latin", "last_name_ar", "first_name_ar", "cin"]
    list_select_related = ["centre", "province"]
    raw_id_fields = ["province", "program", "created_by"]
    inlines = [TrainingInline]
    readonly_fields = ["search_text", "anonymised_at", "centre", "status", "closed_on"]

    def has_delete_permission(self, request, obj=None):
        return False  # case files are archived, never deleted (their access log would go too)


@admin.register(AccompanimentAction)
class AccompanimentActionAdmin(SimpleHistoryAdmin):
    list_display = ["beneficiary", "kind", "date", "recorded_by"]
    list_filter = ["kind"]
    raw_id_fields = ["beneficiary", "recorded_by"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["beneficiary", "kind", "original_name", "size", "uploaded_at"]
    raw_id_fields = ["beneficiary", "uploaded_by"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["beneficiary", "from_centre", "to_centre", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["beneficiary", "requested_by", "decided_by"]


@admin.register(CaseView)
class CaseViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["beneficiary", "user", "viewed_at", "page", "document"]
    list_filter = ["page"]
    date_hierarchy = "viewed_at"


@admin.register(CaseExport)
class CaseExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "exported_at", "rows", "filters"]
    date_hierarchy = "exported_at"


@admin.register(CinLookup)
class CinLookupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who looked up CINs, when, where. The log holds no number: the search box takes a CIN and
    finds its lookups by the number's keyed hash."""

    list_display = ["looked_up_at", "user", "kind", "refused"]
    list_filter = ["kind", "refused"]
    list_select_related = ["user"]
    date_hierarchy = "looked_up_at"
    search_fields = ["cin_hash"]  # shows the search box; the search itself is below
    search_help_text = _("Type a CIN to see whether, when and by whom it was looked up.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return (queryset.filter(cin_hash=cin_digest(term)) if term else queryset), False
