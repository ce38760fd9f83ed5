from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.models import AccompanimentAction, Beneficiary, CaseExport, CaseView, Document, Training, Transfer
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
