"""Pages for programmes, their phases, targets and signings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.core.forms import submit_form
from phoihop.core.permissions import perms
from phoihop.programmes import selectors, services
from phoihop.programmes.forms import PhaseForm, ProgrammeForm, SigningForm, TargetForm
from phoihop.programmes.models import PHASE_TRANSITIONS, Phase, PhaseStatus, Programme
from phoihop.programmes.permissions import may_create_programme


def _next_url(request: HttpRequest) -> str:
    """The page to go back to after a save (a step of the set-up), if it is one of this site's."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _wizard(programme: Programme, step: int) -> dict[str, object]:
    from phoihop.programmes.setup_views import steps_for

    return steps_for(programme, step)


def _programme_or_404(request: HttpRequest, code: str, action: str = "view") -> Programme:
    try:
        return selectors.programme_get(user=request.user, code=code, action=action)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def _phase_or_404(request: HttpRequest, programme: Programme, code: str) -> Phase:
    try:
        return selectors.phase_get(user=request.user, programme=programme, code=code)
    except Phase.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    context = {
        "programmes": selectors.programme_list(user=request.user),
        "can_create": bool(may_create_programme(perms(request.user))),
    }
    return render(request, "programmes/programme_list.html", context)


@login_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    phases = list(programme.phases.all())
    signings = {p.pk: selectors.signing_for(user=request.user, phase=p) for p in phases}
    context = {
        "programme": programme,
        "phases": [(p, signings[p.pk]) for p in phases],
        "fields": programme.fields.all(),
        "indicators": programme.indicators.all(),
        "can_change": perms(request.user).for_(programme).can("manage"),
    }
    if context["can_change"]:
        from phoihop.programmes.setup_views import setup_gaps

        context["gaps"] = setup_gaps(request.user, programme)
    return render(request, "programmes/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    perms(request.user).for_(programme).within_scope("manage")
    form = ProgrammeForm(
        request.POST or None, instance=Programme.objects.restrict(request.user, "change").get(pk=programme.pk)
    )
    if (
        submit_form(
            request,
            form,
            lambda: services.programme_update(
                programme=programme,
                acting_user=request.user,
                data=form.edited_data(),
                expected_version=form.expected_version,
            ),
            _("Đã lưu chương trình."),
        )
        is not None
    ):
        return redirect("programmes:detail", code=programme.code)
    return render(
        request,
        "programmes/edit_form.html",
        {"form": form, "programme": programme, "heading": _("Sửa chương trình"), "wizard": _wizard(programme, 1)},
    )


@login_required
def phase_detail(request: HttpRequest, code: str, phase: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    phase_obj = _phase_or_404(request, programme, phase)
    context = {
        "programme": programme,
        "phase": phase_obj,
        "signing": selectors.signing_for(user=request.user, phase=phase_obj),
        "targets": selectors.target_list(user=request.user, phase=phase_obj)[:500],
        "can_change": perms(request.user).for_(programme).can("manage"),
        "next_statuses": [PhaseStatus(s) for s in PHASE_TRANSITIONS[phase_obj.status]],
        "target_form": TargetForm(user=request.user, phase=phase_obj),
    }
    return render(request, "programmes/phase_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, code: str, phase: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    phase_obj = _phase_or_404(request, programme, phase)
    perms(request.user).for_(programme).within_scope("manage")
    form = PhaseForm(request.POST or None, instance=Phase.objects.restrict(request.user, "change").get(pk=phase_obj.pk))

    if (
        submit_form(
            request,
            form,
            lambda: services.phase_update(
                phase=phase_obj,
                acting_user=request.user,
                data=form.edited_data(),
                expected_version=form.expected_version,
            ),
            _("Đã lưu giai đoạn."),
        )
        is not None
    ):
        return redirect("programmes:phase", code=code, phase=phase_obj.code)
    return render(
        request,
        "programmes/edit_form.html",
        {"form": form, "programme": programme, "heading": _("Sửa giai đoạn %(name)s") % {"name": phase_obj.name}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def signing_edit(request: HttpRequest, code: str, phase: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    phase_obj = _phase_or_404(request, programme, phase)
    perms(request.user).for_(programme).within_scope("manage")
    signing = selectors.signing_for(user=request.user, phase=phase_obj)
    form = SigningForm(request.POST or None, instance=signing)
    if (
        submit_form(
            request,
            form,
            lambda: services.signing_update(
                phase=phase_obj,
                acting_user=request.user,
                data=form.edited_data(),
                expected_version=form.expected_version,
            ),
            _("Đã lưu thông tin ký kết."),
        )
        is not None
    ):
        return redirect(_next_url(request) or reverse("programmes:phase", args=[code, phase_obj.code]))
    return render(
        request,
        "programmes/edit_form.html",
        {
            "form": form,
            "programme": programme,
            "heading": _("Ký kết giai đoạn %(name)s") % {"name": phase_obj.name},
            "next": _next_url(request),
            "wizard": _wizard(programme, 6) if _next_url(request) else None,
        },
    )


@login_required
@require_POST
def phase_status(request: HttpRequest, code: str, phase: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    phase_obj = _phase_or_404(request, programme, phase)
    try:
        services.phase_set_status(phase=phase_obj, acting_user=request.user, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except KeyError:
        messages.error(request, _("Trạng thái không hợp lệ."))
    else:
        messages.success(request, _("Đã chuyển trạng thái giai đoạn."))
    return redirect("programmes:phase", code=code, phase=phase_obj.code)


@login_required
@require_POST
def target_set(request: HttpRequest, code: str, phase: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    phase_obj = _phase_or_404(request, programme, phase)
    form = TargetForm(request.POST, user=request.user, phase=phase_obj)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[k].label}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
        messages.error(request, _("Chưa lưu chỉ tiêu giao: %(e)s") % {"e": errors})
    else:
        try:
            services.target_set(phase=phase_obj, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu chỉ tiêu giao."))
    return redirect(_next_url(request) or reverse("programmes:phase", args=[code, phase_obj.code]))
