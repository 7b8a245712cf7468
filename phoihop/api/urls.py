"""Routes of the API: ``/api/v1/...`` (data and token), ``/api/schema/`` and ``/api/docs/``.

Route names live in the ``api`` namespace: ``api:unit-list``, ``api:unit-detail`` and so on.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from phoihop.api import views
from phoihop.api.auth import TokenView

app_name = "api"

VIEWSETS = {
    "organisation": views.OrganisationViewSet,
    "unit": views.UnitViewSet,
    "person": views.PersonViewSet,
    "programme": views.ProgrammeViewSet,
    "phase": views.PhaseViewSet,
}

router = SimpleRouter()
for prefix, basename in views.ROUTES:
    router.register(prefix, VIEWSETS[basename], basename=basename)

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", views.ApiRootView.as_view(), name="api-root"),
    path("v1/auth/token/", TokenView.as_view(), name="auth-token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:api-schema"), name="api-docs"),
]
