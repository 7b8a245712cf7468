"""Locking out password guessers (django-axes): the answer a locked-out person gets, and who
they are to axes.

After ``AXES_FAILURE_LIMIT`` wrong passwords for one account from one address (settings
``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``), every sign-in of that account from
that address is refused, even with the right password, until ``AXES_COOLOFF_TIME`` has passed
since the last failure. Refused attempts during the lockout do not prolong it
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), so the time we state holds.

The sign-in page, the admin's sign-in and ``POST /api/v1/auth/token/`` all go through
``django.contrib.auth.authenticate(request=...)``, which axes watches. A system administrator
unlocks an account on its user page (``services.login_unlock``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.views import is_api_request


def cool_off(request: Any = None) -> timedelta:
    """``AXES_COOLOFF_TIME``: how long a lockout lasts (``PHOIHOP_LOCKOUT_MINUTES``)."""
    return timedelta(minutes=settings.PHOIHOP_LOCKOUT_MINUTES)


def client_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the username tried, as one key whatever its case or spaces."""
    if credentials:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None)
        if data is None:
            data = getattr(request, "POST", {})
        value = data.get("username")
    return value.strip().lower() if isinstance(value, str) else None


def client_ip(request: Any) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address.

    ``REMOTE_ADDR`` unless ``PHOIHOP_CLIENT_IP_HEADER`` names the header a reverse proxy sets
    (``HTTP_X_FORWARDED_FOR``, ``HTTP_X_REAL_IP``). Then the last address of that header is the
    one the proxy saw; addresses a client wrote before it are ignored. Name a header only when
    a proxy always sets it: a client can write any header the proxy passes on.
    """
    header = settings.PHOIHOP_CLIENT_IP_HEADER
    if header:
        value = request.META.get(header, "")
        addresses = [a.strip() for a in value.split(",") if a.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def locked_until(username: str | None, ip_address: str | None) -> datetime | None:
    """When the lockout of ``username`` from ``ip_address`` ends (None: no failure recorded)."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(last=Max("attempt_time"))[
        "last"
    ]
    return last + cool_off() if last is not None else None


def lockout_message(until: datetime, now: datetime | None = None) -> str:
    """What a locked-out person reads: why, how long, and at what time to try again."""
    now = now or timezone.now()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    local_until = timezone.localtime(until)
    at = local_until.strftime("%H:%M")
    if local_until.date() != timezone.localtime(now).date():
        at = _("%(time)s ngày %(date)s") % {"time": at, "date": local_until.strftime("%d/%m/%Y")}
    return _(
        "Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau %(minutes)d phút (lúc %(at)s)."
    ) % {"minutes": minutes, "at": at}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 with the message, as JSON on the API, else the sign-in page."""
    username = client_username(request, credentials)
    now = timezone.now()
    until = locked_until(username, client_ip(request)) or now + cool_off()
    message = lockout_message(until, now)
    retry_after = str(max(1, math.ceil((until - now).total_seconds())))
    status = settings.AXES_HTTP_RESPONSE_CODE
    if is_api_request(request):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        from phoihop.accounts import twofactor

        form = AuthenticationForm(request, initial={"username": username or ""})
        context = {
            "form": form,
            "locked_out": message,
            "next": request.POST.get("next", "") or request.GET.get("next", ""),
            "two_factor_demo_exempt": twofactor.demo_exempt(),
        }
        response = render(request, "registration/login.html", context, status=status)
    response["Retry-After"] = retry_after
    return response


@receiver(user_locked_out)
def carry_lockout_to_the_django_request(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """The API's serializer authenticates with DRF's request, which keeps the attributes axes sets
    to itself; AxesMiddleware looks at Django's request underneath. Copy them down, so the
    middleware answers the token endpoint with the lockout response too."""
    inner = getattr(request, "_request", None)
    if inner is None or inner is request:
        return
    for name in ("axes_locked_out", "axes_credentials", "axes_ip_address", "axes_attempt_time"):
        if hasattr(request, name):
            setattr(inner, name, getattr(request, name))
    inner.axes_locked_out = True
