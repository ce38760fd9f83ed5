from django.urls import path

from beneficiaries.views import audit, cases, documents, duplicates, log, transfers

app_name = "beneficiaries"

urlpatterns = [
    path("", cases.case_list, name="list"),
    path("export.csv", cases.case_export, name="export"),
    path("new/", cases.case_register, name="register"),
    path("new/duplicates/", cases.case_duplicates, name="duplicates"),
    path("possible-duplicates/", duplicates.duplicate_flags, name="duplicate_flags"),
    path("possible-duplicates/scan/", duplicates.duplicate_scan, name="duplicate_scan"),
    path("<int:pk>/duplicate/", duplicates.duplicate_decide_view, name="duplicate_decide"),
    path("<int:pk>/", cases.case_detail, name="detail"),
    path("<int:pk>/edit/", cases.case_edit, name="edit"),
    path("<int:pk>/status/", cases.case_set_status, name="set_status"),
    path("<int:pk>/audit/", audit.case_audit, name="audit"),
    path("<int:pk>/actions/new/", log.action_create, name="action_create"),
    path("<int:pk>/actions/<int:action_pk>/edit/", log.action_edit, name="action_edit"),
    path("<int:pk>/documents/new/", documents.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", documents.document_download, name="document_download"),
    path("<int:pk>/documents/<int:document_pk>/remove/", documents.document_delete, name="document_delete"),
    path("<int:pk>/transfer/", transfers.transfer_create, name="transfer_create"),
    path("transfers/", transfers.transfer_inbox, name="transfers"),
    path("transfers/<int:pk>/accept/", transfers.transfer_accept_view, name="transfer_accept"),
    path("transfers/<int:pk>/refuse/", transfers.transfer_refuse_view, name="transfer_refuse"),
    path("transfers/<int:pk>/cancel/", transfers.transfer_cancel_view, name="transfer_cancel"),
]
