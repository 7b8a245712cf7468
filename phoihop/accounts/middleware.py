"""Before anything else: a second factor for those who need one, then a new password for those
who must change theirs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.accounts import twofactor


def _is_static(path: str) -> bool:
    return path.startswith("/static/")


class TwoFactorMiddleware:
    """A signed-in user who needs a second factor and has not given it this session goes to the
    code page (an authenticator set up) or to the set-up page (a rule asks, none set up yet).

    After ``django_otp.middleware.OTPMiddleware`` (which says whether the session is verified).
    API requests with a token are not signed in here: the token endpoint asked for the code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _is_static(request.path):
            verified = getattr(user, "is_verified", lambda: False)()
            if not verified and twofactor.requires_second_factor(user):
                has_device = twofactor.has_device(user)
                target = reverse("two-factor-verify") if has_device else reverse("two-factor-setup")
                allowed = {target, reverse("logout")}
                if not has_device:
                    allowed.add(reverse("two-factor-backup-codes"))
                if request.path not in allowed:
                    if request.path.startswith("/api/"):
                        return JsonResponse({"detail": _("Bạn phải xác thực hai lớp trước khi tiếp tục.")}, status=403)
                    query = ""
                    if request.method == "GET" and request.path != reverse("home"):
                        query = "?" + urlencode({"next": request.get_full_path()})
                    return redirect(target + query)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {
                reverse("password_change"),
                reverse("logout"),
                # The second factor comes first (TwoFactorMiddleware), its pages stay open.
                reverse("two-factor-verify"),
                reverse("two-factor-setup"),
                reverse("two-factor-backup-codes"),
            }
            if request.path not in allowed and not _is_static(request.path):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Bạn phải đổi mật khẩu trước khi tiếp tục.")}, status=403)
                return redirect("password_change")
        return self.get_response(request)
