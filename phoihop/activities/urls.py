from django.urls import path

from phoihop.activities import views
from phoihop.activities.autocomplete import activity_autocomplete

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export/", views.activity_export, name="export"),
    path("new/", views.activity_create, name="create"),
    path("areas/", views.areas, name="areas"),
    path("autocomplete/", activity_autocomplete, name="autocomplete"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/submit/", views.activity_submit, name="submit"),
    path("<int:pk>/withdraw/", views.activity_withdraw, name="withdraw"),
    path("<int:pk>/approve/", views.activity_approve, name="approve"),
    path("<int:pk>/return/", views.activity_return, name="return"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<str:token>/", views.attachment_download, name="attachment"),
    path("attachments/<str:token>/delete/", views.attachment_delete, name="attachment-delete"),
]
