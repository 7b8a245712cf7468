from django.contrib import admin
from django.urls import include, path

from phoihop.accounts.urls import auth_urlpatterns
from phoihop.core import health_views
from phoihop.home import views as home_views

admin.site.site_header = "phoihop · Quản trị hệ thống"
admin.site.site_title = "phoihop"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("search/", home_views.search, name="search"),
    path("inbox/", include("phoihop.inbox.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("phoihop.accounts.urls")),
    path("units/", include("phoihop.orgunits.urls")),
    path("programmes/", include("phoihop.programmes.urls")),
    path("activities/", include("phoihop.activities.urls")),
    path("entry/", include("phoihop.entry.urls")),
    path("", include("phoihop.records.urls")),
    path("figures/", include("phoihop.figures.urls")),
    path("reports/", include("phoihop.reporting.urls")),
    path("conferences/", include("phoihop.conferences.urls")),
    path("commendations/", include("phoihop.commendations.urls")),
    path("notices/", include("phoihop.notices.urls")),
    path("signatures/", include("phoihop.esign.urls")),
    path("jobs/", include("phoihop.jobs.urls")),
    path("imports/", include("phoihop.imports.urls")),
    path("api/", include("phoihop.api.urls")),
    path("healthz", health_views.healthz, name="healthz"),
    path("system/health/", health_views.system_health, name="system-health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "phoihop.core.views.error_403"
handler404 = "phoihop.core.views.error_404"
handler500 = "phoihop.core.views.error_500"
