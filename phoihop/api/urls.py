"""Routes of the API: ``/api/v1/...`` (data and tokens), ``/api/schema/`` and ``/api/docs/``.

Route names live in the ``api`` namespace: ``api:unit-list``, ``api:unit-detail`` and so on.
Each app's routes come from its ``api.py`` (``phoihop/api/routes.py`` gathers them) into one
router.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from phoihop.api.auth import LogoutAllView, LogoutView, TokenDetailView, TokenListView, TokenView
from phoihop.api.routes import ROUTES
from phoihop.api.views import ApiRootView
from phoihop.figures.api import FiguresByChildView, FiguresBySideView, FiguresView

app_name = "api"

router = SimpleRouter()
for prefix, basename, viewset in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", ApiRootView.as_view(), name="api-root"),
    path("v1/auth/token/", TokenView.as_view(), name="auth-token"),
    path("v1/auth/tokens/", TokenListView.as_view(), name="auth-token-list"),
    path("v1/auth/tokens/<str:token_id>/", TokenDetailView.as_view(), name="auth-token-detail"),
    path("v1/auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("v1/auth/logoutall/", LogoutAllView.as_view(), name="auth-logoutall"),
    path("v1/figures/", FiguresView.as_view(), name="figures"),
    path("v1/figures/by-child/", FiguresByChildView.as_view(), name="figures-by-child"),
    path("v1/figures/by-side/", FiguresBySideView.as_view(), name="figures-by-side"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:api-schema"), name="api-docs"),
]
