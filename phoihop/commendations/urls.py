from django.urls import path

from phoihop.commendations import views

app_name = "commendations"

urlpatterns = [
    path("", views.nomination_list, name="nomination-list"),
    path("nominations/new/", views.nomination_create, name="nomination-create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination-edit"),
    path("nominations/<int:pk>/report/", views.nomination_report, name="nomination-report"),
    path(
        "nominations/<int:pk>/achievement-report.<str:fmt>",
        views.nomination_achievement,
        name="nomination-achievement",
    ),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination-submit"),
    path("nominations/<int:pk>/endorse/", views.nomination_endorse, name="nomination-endorse"),
    path("nominations/<int:pk>/return/", views.nomination_return, name="nomination-return"),
    path("nominations/<int:pk>/reject/", views.nomination_reject, name="nomination-reject"),
    path("nominations/<int:pk>/decide/", views.nomination_decide, name="nomination-decide"),
    path("nominations/<int:pk>/delete/", views.nomination_delete, name="nomination-delete"),
    path("nominations/<int:pk>/files/", views.nomination_file_add, name="nomination-file-add"),
    path("nominations/<int:pk>/files/<int:file_pk>/", views.nomination_file, name="nomination-file"),
    path(
        "nominations/<int:pk>/files/<int:file_pk>/remove/", views.nomination_file_remove, name="nomination-file-remove"
    ),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/decision.docx", views.decision_docx_view, name="decision-docx"),
    path("decisions/<int:pk>/list.xlsx", views.decision_xlsx_view, name="decision-xlsx"),
    path("awards/", views.award_list, name="award-list"),
    path("history/", views.history, name="history"),
]
