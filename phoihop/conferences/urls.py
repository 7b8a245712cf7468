from django.urls import path

from phoihop.conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("new/", views.conference_create, name="create"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/edit/", views.conference_edit, name="edit"),
    path("<int:pk>/summary/", views.conference_summary, name="summary"),
    path("<int:pk>/sign/", views.conference_sign, name="sign"),
    path("<int:pk>/invitation.docx", views.conference_invitation, name="invitation"),
    path("<int:pk>/notice.docx", views.conference_notice, name="notice"),
    path("<int:pk>/papers/<int:paper_pk>/file/", views.paper_file, name="paper-file"),
]
