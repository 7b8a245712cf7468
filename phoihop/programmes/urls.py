from django.urls import path

from phoihop.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:code>/", views.programme_detail, name="detail"),
    path("<slug:code>/edit/", views.programme_edit, name="edit"),
    path("<slug:code>/phases/<slug:phase>/", views.phase_detail, name="phase"),
    path("<slug:code>/phases/<slug:phase>/edit/", views.phase_edit, name="phase-edit"),
    path("<slug:code>/phases/<slug:phase>/signing/", views.signing_edit, name="signing-edit"),
    path("<slug:code>/phases/<slug:phase>/status/", views.phase_status, name="phase-status"),
    path("<slug:code>/phases/<slug:phase>/targets/", views.target_set, name="target-set"),
]
