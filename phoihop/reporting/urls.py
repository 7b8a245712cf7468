from django.urls import path

from phoihop.reporting import views
from phoihop.reporting.autocomplete import period_autocomplete

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/new/", views.period_create, name="period-create"),
    path("periods/autocomplete/", period_autocomplete, name="period-autocomplete"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period-edit"),
    path("periods/<int:pk>/requests/", views.request_create, name="request-create"),
    path("periods/<int:pk>/letters/<str:kind>/", views.period_letter, name="period-letter"),
    path("periods/<int:pk>/letters/<str:kind>.<str:fmt>", views.period_letter_file, name="period-letter-file"),
    path("phases/<int:pk>/generate/", views.period_generate, name="period-generate"),
    path("open/", views.report_open, name="report-open"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/annex/<int:n>/", views.report_annex, name="report-annex"),
    path("<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("<int:pk>/approve/", views.report_approve, name="report-approve"),
    path("<int:pk>/return/", views.report_return, name="report-return"),
    path("<int:pk>/reopen/", views.report_reopen, name="report-reopen"),
    path("<int:pk>/delete/", views.report_delete, name="report-delete"),
    path("<int:pk>/document.<str:fmt>", views.report_document, name="report-document"),
    path("<int:pk>/jobs/", views.report_job_create, name="report-job-create"),
    path("<int:pk>/scan/", views.report_scan, name="report-scan"),
    path("<int:pk>/scan/upload/", views.report_scan_upload, name="report-scan-upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
    path("registers/", views.register_home, name="register-home"),
    path("registers/<int:unit>/<int:year>/", views.register_detail, name="register"),
    path("registers/lines/<int:pk>/cancel/", views.register_cancel, name="register-cancel"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/upload/", views.template_upload, name="template-upload"),
    path("templates/shipped/<str:kind>.docx", views.template_default, name="template-default"),
    path("templates/<int:pk>/", views.template_download, name="template-download"),
    path("templates/<int:pk>/toggle/", views.template_toggle, name="template-toggle"),
]
