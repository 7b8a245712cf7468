"""Routes of the API: ``/api/v1/...`` (data and token), ``/api/schema/`` and ``/api/docs/``.

Route names live in the ``api`` namespace: ``api:unit-list``, ``api:unit-detail`` and so on.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from phoihop.api import activities, records, reporting, views
from phoihop.api.auth import TokenView
from phoihop.api.figures import FiguresByChildView, FiguresView
from phoihop.commendations import api as commendations_api
from phoihop.conferences import api as conferences_api

app_name = "api"

VIEWSETS = {
    "organisation": views.OrganisationViewSet,
    "unit": views.UnitViewSet,
    "person": views.PersonViewSet,
    "programme": views.ProgrammeViewSet,
    "phase": views.PhaseViewSet,
    "activity": activities.ActivityViewSet,
    "entered-figure": activities.EnteredFigureViewSet,
    "practice-model": records.PracticeModelViewSet,
    "exchange": records.ExchangeViewSet,
    "lesson": records.LessonViewSet,
    "proposal": records.ProposalViewSet,
    "lock": records.LockViewSet,
}

router = SimpleRouter()
for prefix, basename in views.ROUTES:
    router.register(prefix, VIEWSETS[basename], basename=basename)

# The reporting cycle (issue 4): periods, report requests, reports, document jobs. A router of
# its own, in the same ``api`` namespace and under the same ``/api/v1/``.
reporting_router = SimpleRouter()
for prefix, basename, viewset in reporting.ROUTES:
    reporting_router.register(prefix, viewset, basename=basename)

# Conferences (issue 5): a router of its own, in the same namespace.
conferences_router = SimpleRouter()
for prefix, basename, viewset in conferences_api.ROUTES:
    conferences_router.register(prefix, viewset, basename=basename)

# Commendations (issue 5): award forms and titles, nominations, decisions.
commendations_router = SimpleRouter()
for prefix, basename, viewset in commendations_api.ROUTES:
    commendations_router.register(prefix, viewset, basename=basename)

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", views.ApiRootView.as_view(), name="api-root"),
    path("v1/auth/token/", TokenView.as_view(), name="auth-token"),
    path("v1/figures/", FiguresView.as_view(), name="figures"),
    path("v1/figures/by-child/", FiguresByChildView.as_view(), name="figures-by-child"),
    path("v1/", include(router.urls)),
    path("v1/", include(reporting_router.urls)),
    path("v1/", include(conferences_router.urls)),
    path("v1/", include(commendations_router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:api-schema"), name="api-docs"),
]
