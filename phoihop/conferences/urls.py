from django.urls import path

from phoihop.conferences import article_views, views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("new/", views.conference_create, name="create"),
    path("from-article/", article_views.from_article, name="from-article"),
    path("from-article/batch/", article_views.article_batch, name="article-batch"),
    path("from-article/drafts/", article_views.article_drafts, name="article-drafts"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/edit/", views.conference_edit, name="edit"),
    path("<int:pk>/summary/", views.conference_summary, name="summary"),
    path("<int:pk>/summary.docx", views.conference_summary_docx, name="summary-docx"),
    path("<int:pk>/sign/", views.conference_sign, name="sign"),
    path("<int:pk>/invitation.docx", views.conference_invitation, name="invitation"),
    path("<int:pk>/notice.docx", views.conference_notice, name="notice"),
    # The invitation, the notice and the plan, as Word or PDF: "3/plan.pdf".
    path("<int:pk>/<str:kind>.<str:fmt>", views.conference_document, name="document"),
    path("<int:pk>/papers/<int:paper_pk>/file/", views.paper_file, name="paper-file"),
    path("<int:pk>/attendance/", views.conference_attendance, name="attendance"),
    path("<int:pk>/cochairs/<int:row_pk>/", views.cochair_edit, name="cochair-edit"),
    path("<int:pk>/cochairs/<int:row_pk>/remove/", views.cochair_remove, name="cochair-remove"),
    path("<int:pk>/delegates/<int:row_pk>/", views.delegate_edit, name="delegate-edit"),
    path("<int:pk>/delegates/<int:row_pk>/remove/", views.delegate_remove, name="delegate-remove"),
    path("<int:pk>/papers/", views.conference_papers, name="papers"),
    path("<int:pk>/papers/<int:paper_pk>/edit/", views.paper_edit, name="paper-edit"),
    path("<int:pk>/papers/<int:paper_pk>/remove/", views.paper_remove, name="paper-remove"),
    path("<int:pk>/programme/", views.conference_programme, name="programme"),
    path("<int:pk>/agenda/<int:row_pk>/", views.agenda_edit, name="agenda-edit"),
    path("<int:pk>/agenda/<int:row_pk>/remove/", views.agenda_remove, name="agenda-remove"),
    path("<int:pk>/speeches/<int:row_pk>/", views.speech_edit, name="speech-edit"),
    path("<int:pk>/speeches/<int:row_pk>/remove/", views.speech_remove, name="speech-remove"),
    path("<int:pk>/speeches/<int:row_pk>/file/", views.speech_file, name="speech-file"),
]
