from django.urls import path

from phoihop.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
]
