from django.urls import path

from distributions.views import events, handovers, printing

app_name = "distributions"

urlpatterns = [
    path("", events.event_list_view, name="events"),
    path("export.<str:fmt>", events.event_export, name="events_export"),
    path("operations/", events.operation_list, name="operations"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/status/", events.event_status, name="event_status"),
    path("events/<int:pk>/attach/", events.event_attach, name="event_attach"),
    path("events/<int:pk>/photos/", events.event_photo_upload, name="event_photo_upload"),
    path("events/<int:pk>/photos/<int:photo_pk>/", events.event_photo, name="event_photo"),
    path("events/<int:pk>/receipts.pdf", printing.event_receipts, name="event_receipts"),
    path("events/<int:pk>/summary.pdf", printing.event_summary, name="event_summary"),
    path("events/<int:pk>/handovers.<str:fmt>", events.event_handovers_export, name="event_handovers_export"),
    path("handovers/<int:pk>/", handovers.handover_detail, name="handover"),
    path("handovers/<int:pk>/remove/", handovers.handover_delete, name="handover_delete"),
    path("handovers/<int:pk>/signed/", handovers.handover_signed, name="handover_signed"),
    path("handovers/<int:pk>/signed/upload/", handovers.handover_signed_upload, name="handover_signed_upload"),
    path("handovers/<int:pk>/receipt.pdf", printing.handover_receipt, name="receipt"),
]
