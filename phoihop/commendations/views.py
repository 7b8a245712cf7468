"""Pages of commendations: nominations (list, new, detail with the dossier and the route, edit,
the transitions), decisions (list, detail, Word and Excel), the catalogue, and a collective's or
an individual's commendation history.

Reads go through the selectors (``restrict``); writes through the services. A nomination or a
decision out of the user's scope answers 404; an action the user may not take answers 403."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby, pairwise
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.audit.access import log_people_export
from phoihop.audit.trail import trail_for
from phoihop.commendations.permissions import can_propose
from phoihop.core.forms import add_service_error, submit_form
from phoihop.core.permissions import perms
from phoihop.core.text import fold
from phoihop.documents.pdf import PdfFailed, PdfUnavailable, pdf_available
from phoihop.orgunits.models import OrgUnit, Person
from phoihop.programmes.models import Phase

from . import achievement, list_rows, selectors, services
from .documents import decision_docx, decision_xlsx
from .forms import DecideForm, DossierFileForm, NominationCreateForm, NominationEditForm, ReasonForm
from .models import (
    AwardKind,
    AwardType,
    Decision,
    Nomination,
    NominationFile,
    NominationStatus,
    StepAction,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- helpers ----------------------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(selectors.nominations_visible(request.user), pk=pk)


def _changeable(request: HttpRequest, pk: int) -> Nomination:
    """A nomination the user may read (else 404) and change (else 403)."""
    nomination = _visible(request, pk)
    if not perms(request.user).for_(nomination).can("change"):
        raise PermissionDenied(_("Chỉ người báo cáo, người duyệt của đơn vị đề nghị được sửa đề nghị này."))
    return nomination


def _held(request: HttpRequest, pk: int) -> Nomination:
    """A nomination the user may read (else 404) and consider as its holder's approver (else 403)."""
    nomination = _visible(request, pk)
    if not perms(request.user).for_(nomination).can("approve"):
        raise PermissionDenied(_("Chỉ người duyệt của đơn vị đang giữ đề nghị mới được xét đề nghị này."))
    return nomination


def _detail_context(request: HttpRequest, nomination: Nomination, **forms_: Any) -> dict[str, Any]:
    user = request.user
    may = perms(user).for_(nomination)
    steps = list(nomination.steps.select_related("unit", "to_unit", "by"))
    returned = next((s for s in reversed(steps) if s.action == StepAction.RETURN), None)
    route = selectors.route_units(nomination)
    context = {
        "nomination": nomination,
        "route": route,
        "crossing": [u.pk for prev, u in pairwise(route) if prev.organisation_id != u.organisation_id],
        "steps": steps,
        "returned_step": returned if nomination.status == NominationStatus.RETURNED else None,
        "activities": nomination.activities.select_related("lead_unit").order_by("start_date", "pk"),
        "files": nomination.files.all(),
        "can_change": may.can("change"),
        "can_edit": may.can("edit"),
        "can_delete": may.can("delete"),
        "can_approve": may.can("consider"),
        "can_endorse": may.can("endorse"),
        "can_decide": may.can("decide"),
        "file_form": DossierFileForm(),
        "return_form": ReasonForm(prefix="return"),
        "reject_form": ReasonForm(prefix="reject"),
        "award_obj": getattr(nomination, "granted", None) if nomination.status == NominationStatus.AWARDED else None,
        "trail": trail_for(nomination, parts=[NominationFile.history.filter(nomination_id=nomination.pk)]),
        "pdf_available": pdf_available(),
    }

    if context["can_decide"]:
        context["decide_form"] = DecideForm(user=user, nomination=nomination)
    context.update(forms_)
    return context


def _act(request: HttpRequest, nomination: Nomination, action: Callable[[], Any], success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("commendations:nomination-detail", pk=nomination.pk)


# --- nominations ------------------------------------------------------------------------------


@login_required
@require_GET
def nomination_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "")
    # Without an approver's role anywhere, restrict(user, "approve") is empty: nothing to decide.
    may_approve = perms(user).has_units("approve")
    visible = selectors.nominations_visible(user)
    rows = visible.filter(selectors.to_decide_q(user)) if tab == "decide" else visible
    status = request.GET.get("status", "")
    phase = request.GET.get("phase", "")
    award = request.GET.get("award", "")
    q = request.GET.get("q", "").strip()
    filtered = False
    if status in NominationStatus.values:
        rows, filtered = rows.filter(status=status), True
    if phase:
        rows, filtered = rows.filter(phase__code=phase), True
    if award:
        rows, filtered = rows.filter(award__code=award), True
    folded = fold(q)
    if folded:
        rows, filtered = (
            rows.filter(
                Q(person__search_text__contains=folded)
                | Q(nominee_unit__search_text__contains=folded)
                | Q(proposing_unit__search_text__contains=folded)
            ),
            True,
        )
    # The page's rows, their number and (all rows unfiltered) the number waiting for the user's
    # decision, in one query (list_rows.page_of); the columns the rows show only.
    count_to_decide = may_approve and tab != "decide" and not filtered
    page = list_rows.page_of(
        rows, request.GET.get("page"), 25, also_count=selectors.to_decide_q(user) if count_to_decide else None
    )
    if not may_approve:
        to_decide_count = 0
    elif not filtered and tab == "decide":
        to_decide_count = page.paginator.count  # the same rows
    elif page.also_counted is not None:  # type: ignore[attr-defined]
        to_decide_count = page.also_counted  # type: ignore[attr-defined]
    else:
        to_decide_count = selectors.nominations_to_decide(user).count()
    query = request.GET.copy()
    query.pop("page", None)
    forms, titles = selectors.award_choices(user)
    context = {
        "page": page,
        "rows_html": list_rows.rows_html(page),
        "tab": tab,
        "status": status,
        "phase": phase,
        "award": award,
        "q": q,
        "query": query.urlencode(),
        "statuses": NominationStatus.choices,
        "phases": Phase.objects.restrict(user, "view").select_related("programme"),  # type: ignore[attr-defined]
        "forms": forms,
        "titles": titles,
        "to_decide_count": to_decide_count,
        "can_create": can_propose(perms(user)),
    }
    return render(request, "commendations/nomination_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request: HttpRequest) -> HttpResponse:
    if not can_propose(perms(request.user)):
        raise PermissionDenied(_("Chỉ người báo cáo, người duyệt mới lập được đề nghị khen thưởng."))
    initial: dict[str, Any] = {}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    if request.GET.get("unit"):
        initial |= {"nominee_kind": "collective", "nominee_unit": request.GET["unit"]}
    form = NominationCreateForm(request.POST or None, user=request.user, initial=initial)
    save = lambda: services.nomination_create(acting_user=request.user, **form.service_kwargs())  # noqa: E731
    nomination = submit_form(request, form, save, _("Đã lập đề nghị khen thưởng (đang soạn)."))
    if nomination is not None:
        return redirect("commendations:nomination-detail", pk=nomination.pk)
    return render(request, "commendations/nomination_form.html", {"form": form, "nomination": None})


@login_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _visible(request, pk)
    return render(request, "commendations/nomination_detail.html", _detail_context(request, nomination))


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _changeable(request, pk)
    if not nomination.is_editable:
        messages.error(request, _("Chỉ sửa được đề nghị đang soạn hoặc bị trả lại."))
        return redirect("commendations:nomination-detail", pk=pk)
    form = NominationEditForm(request.POST or None, user=request.user, nomination=nomination)
    save = lambda: services.nomination_save(  # noqa: E731
        nomination=nomination,
        data=form.service_data(),
        acting_user=request.user,
        expected_version=form.expected_version,
    )
    if submit_form(request, form, save, _("Đã lưu đề nghị khen thưởng.")) is not None:
        return redirect("commendations:nomination-detail", pk=pk)
    return render(request, "commendations/nomination_form.html", {"form": form, "nomination": nomination})


@login_required
@require_POST
def nomination_report(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _changeable(request, pk)
    return _act(
        request,
        nomination,
        lambda: services.achievement_report_generate(nomination=nomination, acting_user=request.user),
        _("Đã tạo lại báo cáo thành tích từ dữ liệu."),
    )


@login_required
@require_GET
def nomination_achievement(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The achievement report (Decree 98 forms) as Word or PDF, for the nomination's readers
    (``achievement.py``: what it holds, and the personal data it prints for whom)."""
    nomination = _visible(request, pk)
    if fmt not in achievement.FORMATS:
        raise Http404
    try:
        content, name, content_type = achievement.build(nomination, request.user, fmt)
    except (PdfUnavailable, PdfFailed) as exc:
        messages.error(request, str(exc))
        return redirect("commendations:nomination-detail", pk=pk)
    achievement.log_export(request, nomination, fmt)
    return _download(content, content_type, name)


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _changeable(request, pk)
    return _act(
        request,
        nomination,
        lambda: services.nomination_submit(nomination=nomination, acting_user=request.user),
        _("Đã gửi đề nghị lên cấp trên."),
    )


@login_required
@require_POST
def nomination_delete(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _changeable(request, pk)
    try:
        services.nomination_delete(
            nomination=nomination, acting_user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("commendations:nomination-detail", pk=pk)
    messages.success(request, _("Đã xóa đề nghị khen thưởng."))
    return redirect("commendations:nomination-list")


@login_required
@require_POST
def nomination_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _held(request, pk)
    return _act(
        request,
        nomination,
        lambda: services.nomination_endorse(nomination=nomination, acting_user=request.user),
        _("Đã đồng ý và trình đề nghị lên cấp trên."),
    )


def _with_reason(request: HttpRequest, pk: int, prefix: str, service: Callable[..., Any], success: str) -> HttpResponse:
    nomination = _held(request, pk)
    form = ReasonForm(request.POST, prefix=prefix)
    save = lambda: service(nomination=nomination, reason=form.cleaned_data["reason"], acting_user=request.user)  # noqa: E731
    if submit_form(request, form, save, success) is not None:
        return redirect("commendations:nomination-detail", pk=pk)
    messages.error(request, _("Chưa thực hiện được: xem lỗi ở biểu mẫu bên dưới."))
    context = _detail_context(request, nomination, **{f"{prefix}_form": form, "open_form": prefix})
    return render(request, "commendations/nomination_detail.html", context)


@login_required
@require_POST
def nomination_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, "return", services.nomination_return, _("Đã trả lại đề nghị cho đơn vị đề nghị."))


@login_required
@require_POST
def nomination_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, "reject", services.nomination_reject, _("Đã ghi không đề nghị khen thưởng."))


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _held(request, pk)
    form = DecideForm(request.POST, user=request.user, nomination=nomination)
    save = lambda: services.nomination_decide(  # noqa: E731
        nomination=nomination, acting_user=request.user, **form.service_kwargs()
    )
    award = submit_form(request, form, save, _("Đã quyết định khen thưởng."))
    if award is not None:
        return redirect("commendations:decision-detail", pk=award.decision_id)
    messages.error(request, _("Chưa thực hiện được: xem lỗi ở biểu mẫu bên dưới."))
    context = _detail_context(request, nomination, decide_form=form, open_form="decide")
    return render(request, "commendations/nomination_detail.html", context)


# --- the dossier's files ------------------------------------------------------------------------


@login_required
@require_POST
def nomination_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _changeable(request, pk)
    form = DossierFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.nomination_file_add(
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Đã thêm tệp vào hồ sơ."))
            return redirect("commendations:nomination-detail", pk=pk)
    messages.error(request, _("Chưa thêm được tệp: xem lỗi ở phần hồ sơ bên dưới."))
    context = _detail_context(request, nomination, file_form=form)
    return render(request, "commendations/nomination_detail.html", context)


def _file(request: HttpRequest, pk: int, file_pk: int) -> tuple[Nomination, NominationFile]:
    nomination = _visible(request, pk)
    return nomination, get_object_or_404(NominationFile, pk=file_pk, nomination=nomination)


@login_required
@require_GET
def nomination_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A paper of the dossier, for the nomination's readers only; never a public URL."""
    nomination, row = _file(request, pk, file_pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if nomination.person_id:  # an individual's dossier: the access log of personal data
        log_people_export(
            actor=request.user,
            target=nomination,
            people=[nomination.person_id],
            what=row.original_name,
            file_format=row.content_type,
            unit=nomination.proposing_unit,
        )
    response = FileResponse(handle, as_attachment=True, filename=row.original_name, content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def nomination_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    nomination, row = _file(request, pk, file_pk)
    if not perms(request.user).for_(nomination).can("change"):
        raise PermissionDenied(_("Chỉ người báo cáo, người duyệt của đơn vị đề nghị được sửa hồ sơ."))
    name = row.original_name
    return _act(
        request,
        nomination,
        lambda: services.nomination_file_remove(row=row, acting_user=request.user),
        _("Đã xóa tệp “%(name)s” khỏi hồ sơ.") % {"name": name},
    )


# --- decisions ----------------------------------------------------------------------------------


def _decisions(request: HttpRequest) -> Any:
    return Decision.objects.restrict(request.user).select_related(  # type: ignore[attr-defined]
        "issuing_unit", "awarding_unit", "conference"
    )


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_decisions(request), 25).get_page(request.GET.get("page"))
    rows = selectors.decision_numbers(page)
    return render(request, "commendations/decision_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(_decisions(request), pk=pk)
    # Only the awards the reader may see (the Word and Excel downloads carry the whole list).
    awards = decision.awards.restrict(request.user, "view").select_related(
        "award", "phase", "nominee_unit", "person", "home_unit", "nomination"
    )
    ordered = sorted(awards, key=lambda a: (a.award.kind, a.award.order, a.award_id, a.pk))
    groups = [(award_type, list(rows)) for award_type, rows in groupby(ordered, key=lambda a: a.award)]
    context = {
        "decision": decision,
        "number": selectors.decision_number(decision),
        "groups": groups,
    }
    return render(request, "commendations/decision_detail.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(decision: Decision, ext: str) -> str:
    return f"quyet-dinh-khen-thuong-{decision.number or 'chua-so'}-{decision.issued_on:%Y}.{ext}"


def log_decision_export(request: Any, decision: Decision, file_format: str) -> None:
    """The access log of personal data: the decision's list names its individuals (ADR 0011)."""
    log_people_export(
        actor=request.user,
        target=decision,
        people=[award.person_id for award in decision.awards.all()],
        what=str(decision),
        file_format=file_format,
        unit=decision.issuing_unit,
    )


@login_required
@require_GET
def decision_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(_decisions(request), pk=pk)
    content = decision_docx(decision)
    log_decision_export(request, decision, "docx")
    return _download(content, DOCX, _filename(decision, "docx"))


@login_required
@require_GET
def decision_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(_decisions(request), pk=pk)
    content = decision_xlsx(decision)
    log_decision_export(request, decision, "xlsx")
    return _download(content, XLSX, _filename(decision, "xlsx"))


# --- the catalogue and the history ----------------------------------------------------------------


@login_required
@require_GET
def award_list(request: HttpRequest) -> HttpResponse:
    rows = (
        AwardType.objects.restrict(request.user)  # type: ignore[attr-defined]
        .select_related("awarding_level", "awarding_organisation")
        .prefetch_related("requirements__required")
    )
    context = {
        "sections": [
            (_("Hình thức khen thưởng"), [a for a in rows if a.kind == AwardKind.FORM]),
            (_("Danh hiệu thi đua"), [a for a in rows if a.kind == AwardKind.TITLE]),
        ],
        "is_admin": perms(request.user).is_system_admin,
    }
    return render(request, "commendations/award_list.html", context)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    unit: OrgUnit | None = None
    person: Person | None = None
    code = request.GET.get("unit", "").strip()
    person_pk = request.GET.get("person", "").strip()
    if code:
        unit = get_object_or_404(OrgUnit.objects.restrict(request.user, "view"), code=code)  # type: ignore[attr-defined]
    elif person_pk.isdigit():
        person = get_object_or_404(Person.objects.restrict(request.user, "view"), pk=int(person_pk))  # type: ignore[attr-defined]
    else:
        raise Http404
    awards = selectors.commendation_history(user=request.user, unit=unit, person=person)
    context = {"unit": unit, "person": person, "awards": awards, "can_create": can_propose(perms(request.user))}
    return render(request, "commendations/history.html", context)
