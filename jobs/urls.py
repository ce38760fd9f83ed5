from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list_view, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress_view, name="progress"),
    path("<int:pk>/cancel/", views.job_cancel_view, name="cancel"),
    path("<int:pk>/result/", views.job_download, name="download"),
]
