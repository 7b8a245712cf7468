from django.urls import path

from phoihop.esign import views

app_name = "esign"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("certificates/", views.certificate_list, name="certificate-list"),
    path("certificates/upload/", views.certificate_upload, name="certificate-upload"),
    path("certificates/<int:pk>/toggle/", views.certificate_toggle, name="certificate-toggle"),
    path("roots/add/", views.root_add, name="root-add"),
]
