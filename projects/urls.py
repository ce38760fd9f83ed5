from django.urls import path

from projects.views import approvals, envelopes, funding, projects, visits

app_name = "projects"

urlpatterns = [
    path("", projects.project_list_view, name="list"),
    path("approve/", approvals.approve_batch, name="approve_batch"),
    path("to-start/", projects.cases_waiting, name="cases_waiting"),
    path("fund/", funding.fund_batch, name="fund_batch"),
    path("fund/review/", funding.fund_review, name="fund_review"),
    path("export.<str:fmt>", projects.project_export, name="export"),
    path("start/<int:case_pk>/", projects.project_start, name="start"),
    path("<int:pk>/", projects.project_detail_view, name="detail"),
    path("<int:pk>/edit/", projects.project_edit, name="edit"),
    path("<int:pk>/plan/preview/", projects.plan_preview, name="plan_preview"),
    path("<int:pk>/plan/kit/", projects.kit_rows, name="kit_rows"),
    path("<int:pk>/move/", projects.project_move, name="move"),
    path("<int:pk>/planned/", projects.planned_add, name="planned_add"),
    path("<int:pk>/planned/<int:planned_pk>/done/", projects.planned_done, name="planned_done"),
    path("<int:pk>/commitment/cancel/", funding.commitment_cancel_view, name="commitment_cancel"),
    path("<int:pk>/visits/<int:visit_pk>/", visits.visit_edit, name="visit"),
    path("<int:pk>/visits/<int:visit_pk>/photos/<int:photo_pk>/", visits.visit_photo, name="visit_photo"),
]

envelope_patterns = (
    [
        path("", envelopes.envelope_list_view, name="list"),
        path("export.<str:fmt>", envelopes.envelope_export, name="export"),
        path("new/", envelopes.envelope_create, name="create"),
        path("<int:pk>/", envelopes.envelope_detail, name="detail"),
        path("<int:pk>/edit/", envelopes.envelope_edit, name="edit"),
        path("<int:pk>/agreement/", envelopes.envelope_agreement, name="agreement"),
        path("<int:pk>/projects.<str:fmt>", envelopes.envelope_projects_export, name="projects_export"),
    ],
    "envelopes",
)
