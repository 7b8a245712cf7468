from django.urls import path

from phoihop.orgunits import views

app_name = "orgunits"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("people/autocomplete/", views.person_autocomplete, name="person-autocomplete"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("<int:pk>/close/", views.unit_close, name="unit-close"),
    path("<int:pk>/merge/", views.unit_merge, name="unit-merge"),
    path("<int:pk>/add/", views.unit_add, name="unit-add"),
    path("<int:pk>/rename/", views.unit_rename, name="unit-rename"),
    path("<int:pk>/pairs/", views.unit_pairs, name="unit-pairs"),
    path("pairs/<int:pk>/end/", views.pair_end, name="pair-end"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<slug:code>/root/", views.organisation_root, name="organisation-root"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/personal-data/", views.person_data, name="person-data"),
]
