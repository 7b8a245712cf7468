from django.urls import path

from phoihop.programmes import setup_views, views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", setup_views.programme_create, name="create"),
    path("<slug:code>/", views.programme_detail, name="detail"),
    path("<slug:code>/edit/", views.programme_edit, name="edit"),
    path("<slug:code>/phases/<slug:phase>/", views.phase_detail, name="phase"),
    path("<slug:code>/phases/<slug:phase>/edit/", views.phase_edit, name="phase-edit"),
    path("<slug:code>/phases/<slug:phase>/signing/", views.signing_edit, name="signing-edit"),
    path("<slug:code>/phases/<slug:phase>/status/", views.phase_status, name="phase-status"),
    path("<slug:code>/phases/<slug:phase>/targets/", views.target_set, name="target-set"),
    path("<slug:code>/setup/fields/", setup_views.setup_fields, name="setup-fields"),
    path("<slug:code>/setup/indicators/", setup_views.setup_indicators, name="setup-indicators"),
    path("<slug:code>/setup/phases/", setup_views.setup_phases, name="setup-phases"),
    path("<slug:code>/setup/targets/", setup_views.setup_targets, name="setup-targets"),
    path("<slug:code>/setup/signing/", setup_views.setup_signing, name="setup-signing"),
]
