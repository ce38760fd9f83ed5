from django.urls import include, path

from reports import views

dashboard_patterns = (
    [
        path("", views.dashboard_index, name="index"),
        path("map/", views.dashboard_map, name="map"),
        path("export/<slug:table>.<str:fmt>", views.dashboard_export, name="export"),
        path("report.pdf", views.dashboard_report, name="report"),
        path("national-export/", views.full_export_page, name="full_export"),
    ],
    "dashboard",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", include(dashboard_patterns)),
]
