from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("template/<str:kind>.<str:extension>", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/report/", views.import_status, name="status"),
    path("<int:pk>/import/", views.import_start, name="start"),
]
