"""Before anything else: a second factor for those who need one, then a new password for those
who must change theirs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from phoihop.accounts import twofactor
from phoihop.core.scoping import get_scope
from phoihop.core.views import is_api_request

SECOND_FACTOR_TTL = 60  # seconds


def _is_static(path: str) -> bool:
    return path.startswith("/static/")


def _second_factor_key(user_id: int) -> str:
    return f"2fa:needs:{user_id}"


def needs_second_factor(user: Any) -> bool:
    """``twofactor.requires_second_factor(user)``, kept in the cache for a minute under what it
    depends on (the user's grants of the day, whether they are staff, the rules of
    ``PHOIHOP_2FA_REQUIRED``): a page costs no query for it. An authenticator confirmed or
    removed drops it at once (``forget_second_factor``, on the device's save and delete)."""
    grants = sorted((g.unit_id, g.role) for g in get_scope(user).grants)
    basis = repr((grants, user.is_superuser, user.is_staff, settings.PHOIHOP_2FA_REQUIRED, twofactor.demo_exempt()))
    digest = hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()
    key = _second_factor_key(user.pk)
    known: dict[str, bool] = cache.get(key) or {}
    if digest not in known:
        known = {digest: twofactor.requires_second_factor(user)}
        cache.set(key, known, SECOND_FACTOR_TTL)
    return known[digest]


def _unwrapped(user: Any) -> Any:
    """The user object itself, out of its lazy wrappers (each read once, as any access would)."""
    while isinstance(user, LazyObject):
        lazy: Any = user
        if lazy._wrapped is empty:
            lazy._setup()
        user = lazy._wrapped
    return user


def forget_second_factor(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A device saved or deleted: its user's answer is asked again on the next page."""
    if getattr(instance, "user_id", None):
        cache.delete(_second_factor_key(instance.user_id))


class TwoFactorMiddleware:
    """A signed-in user who needs a second factor and has not given it this session goes to the
    code page (an authenticator set up) or to the set-up page (a rule asks, none set up yet).

    After ``django_otp.middleware.OTPMiddleware`` (which says whether the session is verified).
    API requests with a token are not signed in here: the token endpoint asked for the code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        from django.db.models.signals import post_delete, post_save

        for signal in (post_save, post_delete):
            signal.connect(forget_second_factor, sender=twofactor.TOTPDevice, dispatch_uid=f"2fa.forget.{signal}")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None:
            # Read here for every request anyway: the rest of the request (views, templates, the
            # gate) gets the user itself, not two lazy wrappers (the session's and django-otp's)
            # that every attribute read goes through.
            user = request.user = _unwrapped(user)
        if user is not None and user.is_authenticated and not _is_static(request.path):
            verified = getattr(user, "is_verified", lambda: False)()
            if not verified and needs_second_factor(user):
                has_device = twofactor.has_device(user)
                target = reverse("two-factor-verify") if has_device else reverse("two-factor-setup")
                allowed = {target, reverse("logout")}
                if not has_device:
                    allowed.add(reverse("two-factor-backup-codes"))
                if request.path not in allowed:
                    if is_api_request(request):
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
                if is_api_request(request):
                    return JsonResponse({"detail": _("Bạn phải đổi mật khẩu trước khi tiếp tục.")}, status=403)
                return redirect("password_change")
        return self.get_response(request)
