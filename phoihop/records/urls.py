"""Good-practice models, exchanges, lessons and proposals, mounted at the site root."""

from django.urls import path

from phoihop.records import views

app_name = "records"

urlpatterns = [
    path("models/", views.model_list, name="model-list"),
    path("models/top/", views.model_top, name="model-top"),
    path("models/new/", views.model_create, name="model-create"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/edit/", views.model_edit, name="model-edit"),
    path("models/<int:pk>/delete/", views.model_delete, name="model-delete"),
    path("models/<int:pk>/replications/", views.replication_add, name="replication-add"),
    path(
        "models/<int:pk>/replications/<int:replication_pk>/remove/",
        views.replication_remove,
        name="replication-remove",
    ),
    path("exchanges/", views.exchange_list, name="exchange-list"),
    path("exchanges/new/", views.exchange_create, name="exchange-create"),
    path("exchanges/<int:pk>/", views.exchange_detail, name="exchange"),
    path("lessons/", views.lesson_list, name="lesson-list"),
    path("lessons/new/", views.lesson_create, name="lesson-create"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson-edit"),
    path("lessons/<int:pk>/delete/", views.lesson_delete, name="lesson-delete"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/delete/", views.proposal_delete, name="proposal-delete"),
]
