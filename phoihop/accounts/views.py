"""Sign-in, password change, and user management by unit administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.accounts import services, twofactor
from phoihop.accounts.forms import RoleForm, StyledPasswordChangeForm, UserCreateForm
from phoihop.accounts.models import RoleAssignment, User
from phoihop.accounts.permissions import can_manage_users
from phoihop.core.permissions import perms


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["two_factor_demo_exempt"] = twofactor.demo_exempt()
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: StyledPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


def _user_or_404(request: HttpRequest, pk: int) -> User:
    try:
        return User.objects.restrict(request.user, "view").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    qs = User.objects.restrict(request.user, "view").prefetch_related("role_assignments__unit")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(last_name__icontains=q) | qs.filter(first_name__icontains=q)
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/user_list.html", {"page": page, "q": q, "can_manage": can_manage_users(perms(request.user))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    perms(request.user).require_units("manage")
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, temp = services.user_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã tạo tài khoản %(u)s. Mật khẩu tạm thời: %(p)s — người dùng phải đổi khi đăng nhập lần đầu.")
                % {"u": user.username, "p": temp},
            )
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    may = perms(request.user).for_(target)
    manage = may.check("manage")
    can_reset = may.can("reset-password")
    assignments = target.role_assignments.select_related("unit", "granted_by").order_by("-valid_from")
    form = RoleForm(user=request.user) if manage else None
    # A privileged account in a unit administrator's subtree: say who manages it instead.
    note = "" if manage or target.pk == request.user.pk else manage.reason
    context = {
        "target": target,
        "assignments": assignments,
        "can_manage": bool(manage),
        "can_reset": can_reset,
        "form": form,
        "privileged_note": note,
    }
    if may.can("lift-protection"):
        # Sign-in protection: a system administrator unlocks an account and resets its second factor.
        failures = services.login_failures(target)
        context["sign_in"] = {
            "failures": failures,
            "locked": failures >= settings.AXES_FAILURE_LIMIT,
            "two_factor": twofactor.has_device(target),
            "two_factor_required": twofactor.required_by_role(target),
        }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    form = RoleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.role_assign(
                acting_user=request.user,
                user=target,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã giao vai trò."))
    else:
        messages.error(request, _("Chưa giao được vai trò: hãy chọn đơn vị và vai trò hợp lệ."))
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    try:
        assignment = RoleAssignment.objects.restrict(request.user, "manage").get(pk=assignment_pk, user=target)
    except RoleAssignment.DoesNotExist as exc:
        raise Http404 from exc
    services.role_end(acting_user=request.user, assignment=assignment)
    messages.success(request, _("Đã kết thúc vai trò."))
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    temp = services.password_reset(acting_user=request.user, user=target)
    messages.success(
        request,
        _("Mật khẩu tạm thời của %(u)s: %(p)s — hãy trao trực tiếp; người dùng phải đổi khi đăng nhập.")
        % {"u": target.username, "p": temp},
    )
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    services.user_set_active(acting_user=request.user, user=target, active=not target.is_active)
    messages.success(request, _("Đã mở khóa tài khoản.") if target.is_active else _("Đã khóa tài khoản."))
    return redirect("accounts:user", pk=pk)
