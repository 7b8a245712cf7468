from django.urls import URLPattern

app_name = "commendations"

urlpatterns: list[URLPattern] = []
