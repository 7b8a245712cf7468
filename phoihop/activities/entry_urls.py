"""Figures entered directly, their completeness, and entry locks (mounted at /entry/)."""

from django.urls import path

from phoihop.activities import entry_views

app_name = "entry"

urlpatterns = [
    path("", entry_views.entry_form, name="form"),
    path("status/", entry_views.entry_status, name="status"),
    path("locks/", entry_views.lock_list, name="locks"),
    path("locks/create/", entry_views.lock_create, name="lock-create"),
    path("locks/<int:pk>/reopen/", entry_views.lock_reopen, name="lock-reopen"),
]
