"""Pages of conferences: list, detail, the printable news summary, create/edit, signing the next phase."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.conferences import services
from phoihop.conferences.documents import Built, build_invitation, build_notice
from phoihop.conferences.forms import ConferenceForm, SignNextPhaseForm
from phoihop.conferences.models import Conference, ConferenceKind, Paper
from phoihop.conferences.selectors import conferences_for, news_summary
from phoihop.core.forms import submit_form
from phoihop.core.scoping import get_scope


def _visible(request: HttpRequest, pk: int) -> Conference:
    return get_object_or_404(conferences_for(request.user), pk=pk)


def _changeable(request: HttpRequest, pk: int) -> Conference:
    conference = _visible(request, pk)
    if not Conference.objects.restrict(request.user, "change").filter(pk=pk).exists():
        raise PermissionDenied(
            _("Chỉ người báo cáo, người duyệt của đơn vị tổ chức (hoặc cấp trên) được sửa hội nghị.")
        )
    return conference


def _can_change(user: Any, conference: Conference) -> bool:
    return Conference.objects.restrict(user, "change").filter(pk=conference.pk).exists()


@login_required
@require_GET
def conference_list(request: HttpRequest) -> HttpResponse:
    conferences = conferences_for(request.user)
    phase = request.GET.get("phase", "")
    kind = request.GET.get("kind", "")
    if phase:
        conferences = conferences.filter(phase__code=phase)
    if kind:
        conferences = conferences.filter(kind=kind)
    page = Paginator(conferences, 25).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    context = {
        "page": page,
        "phase": phase,
        "kind": kind,
        "kinds": ConferenceKind.choices,
        "can_create": scope.is_system_admin or bool(scope.paths("change")),
    }
    return render(request, "conferences/list.html", context)


@login_required
@require_GET
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _visible(request, pk)
    context = {
        "conference": conference,
        "summary": news_summary(conference),
        "can_change": _can_change(request.user, conference),
        "adoptions": conference.adoptions.select_related("proposal__unit", "phase"),
    }
    return render(request, "conferences/detail.html", context)


@login_required
@require_GET
def conference_summary(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _visible(request, pk)
    return render(request, "conferences/summary.html", {"conference": conference, "summary": news_summary(conference)})


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not scope.is_system_admin and not scope.paths("change"):
        raise PermissionDenied(_("Chỉ người báo cáo, người duyệt mới tạo được hội nghị."))
    form = ConferenceForm(request.POST or None, user=request.user)
    save = lambda: services.conference_save(  # noqa: E731
        acting_user=request.user, data=form.record_data(), organisers=form.cleaned_data["organiser_codes"]
    )
    conference = submit_form(request, form, save, _("Đã lưu hội nghị."))
    if conference is not None:
        return redirect("conferences:detail", pk=conference.pk)
    return render(request, "conferences/form.html", {"form": form, "conference": None})


@login_required
@require_http_methods(["GET", "POST"])
def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _changeable(request, pk)
    form = ConferenceForm(request.POST or None, instance=Conference.objects.get(pk=pk), user=request.user)
    save = lambda: services.conference_save(  # noqa: E731
        acting_user=request.user,
        data=form.record_data(),
        organisers=form.cleaned_data["organiser_codes"],
        conference=conference,
    )
    if submit_form(request, form, save, _("Đã lưu hội nghị.")) is not None:
        return redirect("conferences:detail", pk=pk)
    return render(request, "conferences/form.html", {"form": form, "conference": conference})


@login_required
@require_http_methods(["GET", "POST"])
def conference_sign(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _changeable(request, pk)
    form = SignNextPhaseForm(request.POST or None, request.FILES or None, conference=conference, user=request.user)

    def save() -> Any:
        data = form.cleaned_data
        return services.next_phase_sign(
            conference=conference,
            acting_user=request.user,
            code=data["code"],
            name=data["name"],
            start=data["start"],
            end=data["end"],
            document_number=data["document_number"],
            retired_indicators=list(data["retired_indicators"]),
            proposals=list(data["proposals"]),
            document=data.get("document"),
        )

    if conference.signing_id is None and submit_form(request, form, save, _("Đã ghi ký kết giai đoạn mới.")):
        return redirect("conferences:detail", pk=pk)
    return render(request, "conferences/sign.html", {"form": form, "conference": conference})


@login_required
@require_GET
def paper_file(request: HttpRequest, pk: int, paper_pk: int) -> FileResponse:
    """A paper's file, for readers of the conference only; never a public URL."""
    conference = _visible(request, pk)
    paper = get_object_or_404(Paper, pk=paper_pk, conference=conference)
    if not paper.file:
        raise Http404
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=paper.original_name or "tham-luan", content_type=paper.content_type
    )


def _docx_response(built: Built) -> HttpResponse:
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


@login_required
@require_GET
def conference_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation (giấy mời), as a Word document, for readers of the conference."""
    return _docx_response(build_invitation(_visible(request, pk)))


@login_required
@require_GET
def conference_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of conclusions (thông báo kết luận), as a Word document."""
    return _docx_response(build_notice(_visible(request, pk)))
