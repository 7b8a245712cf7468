"""The state of the system: a page for system administrators, and ``/healthz`` for a load
balancer checking an application node (no data in it: "ok", or 503 when the database is out of
reach)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from phoihop.core import health
from phoihop.core.permissions import perms
from phoihop.core.replicas import replica_aliases
from phoihop.core.services import OutOfScope


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """``ok`` when this node reaches the database (503 otherwise: for monitoring); with ``?live=1``,
    ``ok`` as long as the process serves, whatever the database (the load balancer's check: while
    the database fails over, every node still answers its own Vietnamese 503 page)."""
    if request.GET.get("live") or health.database_reachable():
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("database unavailable", content_type="text/plain", status=503)


@login_required
@require_GET
@never_cache
def system_health(request: HttpRequest) -> HttpResponse:
    if not perms(request.user).is_system_admin:
        raise OutOfScope(_("Chỉ quản trị hệ thống xem được tình trạng hệ thống."))
    parts = health.parts()
    context = {"parts": parts, "all_ok": all(p.ok for p in parts), "has_replicas": bool(replica_aliases())}
    return render(request, "core/health.html", context)
