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
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/personal-data/", views.person_data, name="person-data"),
]
