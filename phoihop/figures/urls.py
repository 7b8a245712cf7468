from django.urls import path

from phoihop.figures import views

app_name = "figures"

urlpatterns = [
    path("", views.dashboard_home, name="dashboard"),
    path("unit/<int:pk>/", views.unit_dashboard, name="unit"),
]
