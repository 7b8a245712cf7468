"""Figures entered directly, their completeness, and entry locks (mounted at /entry/)."""

from django.urls import path

from phoihop.entry import views

app_name = "entry"

urlpatterns = [
    path("", views.entry_form, name="form"),
    path("status/", views.entry_status, name="status"),
    path("locks/", views.lock_list, name="locks"),
    path("locks/create/", views.lock_create, name="lock-create"),
    path("locks/<int:pk>/reopen/", views.lock_reopen, name="lock-reopen"),
]
