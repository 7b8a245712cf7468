"""Pages of two-factor sign-in: the code after the password, setting up an authenticator, the
backup codes (shown once), one's own settings; and a system administrator's unlock and reset."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from phoihop.accounts import services, twofactor
from phoihop.accounts.forms import SecondFactorForm
from phoihop.accounts.models import User
from phoihop.core.services import OutOfScope

# The backup codes just made, kept in the session until their page shows them once.
BACKUP_CODES_SESSION_KEY = "phoihop_backup_codes"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator, or a backup code."""
    user: Any = request.user
    if _verified(request):
        return redirect(_next(request))
    if not twofactor.has_device(user):
        return redirect("two-factor-setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.match_second_factor(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "Bạn vừa dùng một mã dự phòng; còn %(n)d mã. Hãy tạo mã mới khi sắp hết.",
                        "Bạn vừa dùng một mã dự phòng; còn %(n)d mã. Hãy tạo mã mới khi sắp hết.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
        form.add_error(
            "code",
            _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên ứng dụng (mã đổi sau mỗi 30 giây)."),
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the key), then confirm with a code."""
    user: Any = request.user
    if twofactor.has_device(user):
        return redirect("two-factor" if _verified(request) else "two-factor-verify")
    device = services.two_factor_begin(user=user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_confirm(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return redirect("two-factor-backup-codes")
        form.add_error("code", _("Mã không khớp. Hãy kiểm tra giờ trên điện thoại và nhập mã đang hiện."))
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device.config_url),
        "secret": _grouped(secret),
        "required": twofactor.required_by_role(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes just made, once: reloading the page does not show them again."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """One's own second factor: set up, new backup codes, remove (with a current code)."""
    user: Any = request.user
    form = SecondFactorForm(request.POST or None)
    form.fields["code"].widget.attrs.pop("autofocus", None)  # removing is not what the page is for
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "backup-codes" and twofactor.has_device(user):
            request.session[BACKUP_CODES_SESSION_KEY] = services.two_factor_new_backup_codes(user=user)
            return redirect("two-factor-backup-codes")
        if action == "remove" and form.is_valid():
            if twofactor.verify_second_factor(user, form.cleaned_data["code"]):
                services.two_factor_remove(acting_user=user, user=user)
                messages.success(request, _("Đã gỡ xác thực hai lớp."))
                return redirect("two-factor")
            form.add_error("code", _("Mã không đúng: chưa gỡ xác thực hai lớp."))
    context = {
        "form": form,
        "has_device": twofactor.has_device(user),
        "backup_codes_left": twofactor.backup_codes_left(user),
        "required": twofactor.required_by_role(user),
        "demo_exempt": twofactor.demo_exempt(),
    }
    return render(request, "accounts/two_factor_manage.html", context)


def _target(request: HttpRequest, pk: int) -> User:
    try:
        return User.objects.restrict(request.user, "view").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """A system administrator lifts a lockout after wrong passwords."""
    target = _target(request, pk)
    try:
        services.login_unlock(acting_user=request.user, user=target)
    except OutOfScope as exc:
        raise Http404 from exc
    messages.success(request, _("Đã mở khóa đăng nhập cho %(u)s.") % {"u": target.username})
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A system administrator removes a user's authenticator (a lost phone)."""
    target = _target(request, pk)
    try:
        services.two_factor_remove(acting_user=request.user, user=target, reason=request.POST.get("reason", ""))
    except OutOfScope as exc:
        raise Http404 from exc
    messages.success(
        request,
        _("Đã đặt lại xác thực hai lớp của %(u)s: lần đăng nhập tới, người dùng cài lại ứng dụng xác thực.")
        % {"u": target.username},
    )
    return redirect("accounts:user", pk=pk)
