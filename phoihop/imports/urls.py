from django.urls import path

from phoihop.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.home, name="home"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/confirm/", views.run_confirm, name="run-confirm"),
    path("templates/<slug:kind>/", views.template_download, name="template"),
    path("exports/", views.export_start, name="export"),
]
