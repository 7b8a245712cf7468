"""Pages of conferences: list, detail, the printable news summary, create/edit, signing the next phase."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.audit.access import log_people_export
from phoihop.audit.trail import trail_for
from phoihop.conferences import services
from phoihop.conferences.documents import DOCUMENTS, FORMATS, Built, NotReady, build_bulletin, build_document
from phoihop.conferences.forms import (
    AgendaItemForm,
    CoChairAddForm,
    CoChairEditForm,
    ConferenceForm,
    DelegateAddForm,
    DelegateEditForm,
    PaperForm,
    SignNextPhaseForm,
    SpeechForm,
)
from phoihop.conferences.models import AgendaItem, CoChair, Conference, ConferenceKind, Delegate, Paper, Speech
from phoihop.conferences.permissions import NOT_AN_ORGANISER, can_hold_conferences
from phoihop.conferences.selectors import conference_decisions, conferences_for, news_summary
from phoihop.core.forms import submit_form
from phoihop.core.permissions import perms
from phoihop.documents.pdf import PdfFailed, PdfUnavailable


def _visible(request: HttpRequest, pk: int) -> Conference:
    return get_object_or_404(conferences_for(request.user), pk=pk)


def _changeable(request: HttpRequest, pk: int) -> Conference:
    """A conference the user may read (else 404) and change (else 403)."""
    conference = _visible(request, pk)
    perms(request.user).for_(conference).within_scope("change")
    return conference


@login_required
@require_GET
def conference_list(request: HttpRequest) -> HttpResponse:
    # The list shows the programme, the phase and the organisers: none of the other related rows
    # the selector reads for a conference's page.
    conferences = (
        conferences_for(request.user)
        .select_related(None)
        .select_related("programme", "phase")
        .prefetch_related(None)
        .prefetch_related("organisers")
    )
    phase = request.GET.get("phase", "")
    kind = request.GET.get("kind", "")
    if phase:
        conferences = conferences.filter(phase__code=phase)
    if kind:
        conferences = conferences.filter(kind=kind)
    page = Paginator(conferences, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "phase": phase,
        "kind": kind,
        "kinds": ConferenceKind.choices,
        "can_create": can_hold_conferences(perms(request.user)),
    }
    return render(request, "conferences/list.html", context)


@login_required
@require_GET
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _visible(request, pk)
    context = {
        "conference": conference,
        "summary": news_summary(conference),
        "can_change": perms(request.user).for_(conference).can("change"),
        "adoptions": conference.adoptions.select_related("proposal__unit", "phase"),
        "decisions": conference_decisions(conference, request.user),
        "trail": trail_for(
            conference,
            parts=[
                model.history.filter(conference_id=conference.pk)
                for model in (CoChair, Delegate, Paper, AgendaItem, Speech)
            ],
        ),
    }
    return render(request, "conferences/detail.html", context)


@login_required
@require_GET
def conference_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The bản tin, as a page of its own that prints on one A4 sheet (no menu, footer or switcher)."""
    conference = _visible(request, pk)
    return render(request, "conferences/summary.html", {"conference": conference, "summary": news_summary(conference)})


@login_required
@require_GET
def conference_summary_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The bản tin as a Word document."""
    conference = _visible(request, pk)
    return _docx_response(_logged(request, conference, build_bulletin(conference)))


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    perms(request.user).require_units("change", NOT_AN_ORGANISER)
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
    form = ConferenceForm(
        request.POST or None, instance=Conference.objects.restrict(request.user, "change").get(pk=pk), user=request.user
    )
    save = lambda: services.conference_save(  # noqa: E731
        acting_user=request.user,
        data=form.record_data(),
        organisers=form.cleaned_data["organiser_codes"],
        conference=conference,
        expected_version=form.expected_version,
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
    paper = get_object_or_404(Paper.objects.restrict(request.user, "view"), pk=paper_pk, conference=conference)

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


def _logged(request: HttpRequest, conference: Conference, built: Built, file_format: str = "docx") -> Built:
    """The access log of personal data: the documents name the co-chairs (ADR 0011)."""
    log_people_export(
        actor=request.user,
        target=conference,
        people=[c.person_id for c in conference.cochairs.all()],
        what=built.filename,
        file_format=file_format,
    )
    return built


def _built_or_back(request: HttpRequest, conference: Conference, kind: str, fmt: str) -> HttpResponse:
    """The document, or back to the conference's page saying what its record lacks (or why no PDF)."""
    try:
        built = build_document(conference, kind, fmt)
    except NotReady as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("conferences:detail", pk=conference.pk)
    except (PdfUnavailable, PdfFailed) as exc:
        messages.error(request, str(exc))
        return redirect("conferences:detail", pk=conference.pk)
    return _docx_response(_logged(request, conference, built, fmt))


@login_required
@require_GET
def conference_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation (giấy mời), as a Word document, for readers of the conference."""
    conference = _visible(request, pk)
    return _built_or_back(request, conference, "invitation", "docx")


@login_required
@require_GET
def conference_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of conclusions (thông báo kết luận), as a Word document."""
    conference = _visible(request, pk)
    return _built_or_back(request, conference, "notice", "docx")


@login_required
@require_GET
def conference_document(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """The invitation, the notice of conclusions or the plan of the conference (kế hoạch tổ
    chức hội nghị), as Word or PDF; another kind or format is not found."""
    if kind not in DOCUMENTS or fmt not in FORMATS:
        raise Http404
    conference = _visible(request, pk)
    return _built_or_back(request, conference, kind, fmt)


# --- attendance and papers ------------------------------------------------------------------


def _search(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


@login_required
@require_http_methods(["GET", "POST"])
def conference_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Co-chairs and delegates of a conference: add a co-chair, a delegate or a guest; edit; remove."""
    conference = _changeable(request, pk)
    query = _search(request)
    which = request.POST.get("form") if request.method == "POST" else None
    cochair_form = CoChairAddForm(
        request.POST if which == "cochair" else None, user=request.user, query=query, prefix="cochair"
    )
    delegate_form = DelegateAddForm(
        request.POST if which == "delegate" else None, user=request.user, query=query, prefix="delegate"
    )

    def add_cochair() -> Any:
        return services.cochair_add(
            conference=conference,
            person=cochair_form.cleaned_data["person"],
            acting_user=request.user,
            **cochair_form.snapshot(),
        )

    def add_delegate() -> Any:
        data = delegate_form.cleaned_data
        return services.delegate_add(
            conference=conference,
            acting_user=request.user,
            person=data["person"],
            name=data["name"],
            organisation=data["organisation"],
            title=data["title"],
            is_guest_of_honour=data["is_guest_of_honour"],
            **delegate_form.snapshot(),
        )

    if which == "cochair" and submit_form(request, cochair_form, add_cochair, _("Đã thêm đồng chủ trì.")):
        return redirect("conferences:attendance", pk=pk)
    if which == "delegate" and submit_form(request, delegate_form, add_delegate, _("Đã thêm đại biểu.")):
        return redirect("conferences:attendance", pk=pk)
    context = {
        "conference": conference,
        "cochair_form": cochair_form,
        "delegate_form": delegate_form,
        "q": query,
        "cochairs": conference.cochairs.select_related("person"),
        "delegates": conference.delegates.select_related("person"),
    }
    return render(request, "conferences/attendance.html", context)


def _row(request: HttpRequest, model: Any, pk: int, row_pk: int) -> tuple[Conference, Any]:
    conference = _changeable(request, pk)
    rows = model.objects.restrict(request.user, "change").select_related("conference")
    return conference, get_object_or_404(rows, pk=row_pk, conference=conference)


def _row_edit(request: HttpRequest, pk: int, row_pk: int, model: Any, form_class: Any, update: Any) -> HttpResponse:
    conference, row = _row(request, model, pk, row_pk)
    form = form_class(request.POST or None, row=row)
    save = lambda: update(  # noqa: E731
        row=row, acting_user=request.user, data=form.changes(), expected_version=form.expected_version
    )
    if submit_form(request, form, save, _("Đã lưu.")) is not None:
        return redirect("conferences:attendance", pk=pk)
    context = {"conference": conference, "row": row, "form": form, "is_cochair": model is CoChair}
    return render(request, "conferences/row_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cochair_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    return _row_edit(request, pk, row_pk, CoChair, CoChairEditForm, services.cochair_update)


@login_required
@require_http_methods(["GET", "POST"])
def delegate_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    return _row_edit(request, pk, row_pk, Delegate, DelegateEditForm, services.delegate_update)


def _removed(request: HttpRequest, remove: Any, target: str, pk: int, **row: Any) -> HttpResponse:
    try:
        remove(acting_user=request.user, **row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xóa."))
    return redirect(target, pk=pk)


@login_required
@require_POST
def cochair_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    _conference, row = _row(request, CoChair, pk, row_pk)
    return _removed(request, services.cochair_remove, "conferences:attendance", pk, row=row)


@login_required
@require_POST
def delegate_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    _conference, row = _row(request, Delegate, pk, row_pk)
    return _removed(request, services.delegate_remove, "conferences:attendance", pk, row=row)


@login_required
@require_http_methods(["GET", "POST"])
def conference_papers(request: HttpRequest, pk: int) -> HttpResponse:
    """Papers of a conference: add one (title, author, unit, file, order); edit and remove from the list."""
    conference = _changeable(request, pk)
    form = PaperForm(request.POST or None, request.FILES or None, user=request.user, query=_search(request))

    def save() -> Any:
        return services.paper_add(
            conference=conference,
            acting_user=request.user,
            upload=form.cleaned_data.get("file"),
            **form.paper_data(),
        )

    if submit_form(request, form, save, _("Đã thêm tham luận.")):
        return redirect("conferences:papers", pk=pk)
    context = {
        "conference": conference,
        "form": form,
        "q": _search(request),
        "papers": conference.papers.select_related("author", "unit"),
    }
    return render(request, "conferences/papers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponse:
    conference, paper = _row(request, Paper, pk, paper_pk)
    form = PaperForm(
        request.POST or None, request.FILES or None, user=request.user, query=_search(request), paper=paper
    )

    def save() -> Any:
        return services.paper_update(
            paper=paper,
            acting_user=request.user,
            data=form.paper_data(),
            upload=form.cleaned_data.get("file"),
            expected_version=form.expected_version,
        )

    if submit_form(request, form, save, _("Đã lưu tham luận.")):
        return redirect("conferences:papers", pk=pk)
    context = {"conference": conference, "paper": paper, "form": form, "q": _search(request)}
    return render(request, "conferences/paper_form.html", context)


@login_required
@require_POST
def paper_remove(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponse:
    _conference, paper = _row(request, Paper, pk, paper_pk)
    return _removed(request, services.paper_remove, "conferences:papers", pk, paper=paper)


# --- the programme (agenda items) and the speeches --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conference_programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme of a conference (its agenda items) and its speeches: add, and list to edit."""
    conference = _changeable(request, pk)
    which = request.POST.get("form") if request.method == "POST" else None
    agenda_form = AgendaItemForm(request.POST if which == "agenda" else None, prefix="agenda")
    speech_form = SpeechForm(
        request.POST if which == "speech" else None,
        request.FILES if which == "speech" else None,
        user=request.user,
        prefix="speech",
    )

    def add_item() -> Any:
        return services.agenda_item_add(conference=conference, acting_user=request.user, **agenda_form.item_data())

    def add_speech() -> Any:
        return services.speech_add(
            conference=conference,
            acting_user=request.user,
            upload=speech_form.cleaned_data.get("file"),
            **speech_form.new_data(),
        )

    if which == "agenda" and submit_form(request, agenda_form, add_item, _("Đã thêm mục chương trình.")):
        return redirect("conferences:programme", pk=pk)
    if which == "speech" and submit_form(request, speech_form, add_speech, _("Đã thêm bài phát biểu.")):
        return redirect("conferences:programme", pk=pk)
    context = {
        "conference": conference,
        "agenda_form": agenda_form,
        "speech_form": speech_form,
        "items": conference.agenda_items.all(),
        "speeches": conference.speeches.select_related("person"),
    }
    return render(request, "conferences/programme.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    conference, row = _row(request, AgendaItem, pk, row_pk)
    form = AgendaItemForm(request.POST or None, row=row)
    save = lambda: services.agenda_item_update(  # noqa: E731
        row=row, acting_user=request.user, data=form.item_data(), expected_version=form.expected_version
    )
    if submit_form(request, form, save, _("Đã lưu.")) is not None:
        return redirect("conferences:programme", pk=pk)
    context = {"conference": conference, "row": row, "form": form, "heading": _("Sửa mục chương trình")}
    return render(request, "conferences/programme_row.html", context)


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    _conference, row = _row(request, AgendaItem, pk, row_pk)
    return _removed(request, services.agenda_item_remove, "conferences:programme", pk, row=row)


@login_required
@require_http_methods(["GET", "POST"])
def speech_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    conference, row = _row(request, Speech, pk, row_pk)
    form = SpeechForm(request.POST or None, request.FILES or None, user=request.user, row=row)

    def save() -> Any:
        return services.speech_update(
            row=row,
            acting_user=request.user,
            data=form.changes(),
            upload=form.cleaned_data.get("file"),
            expected_version=form.expected_version,
        )

    if submit_form(request, form, save, _("Đã lưu bài phát biểu.")) is not None:
        return redirect("conferences:programme", pk=pk)
    context = {"conference": conference, "row": row, "form": form, "heading": _("Sửa bài phát biểu")}
    return render(request, "conferences/programme_row.html", context)


@login_required
@require_POST
def speech_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    _conference, row = _row(request, Speech, pk, row_pk)
    return _removed(request, services.speech_remove, "conferences:programme", pk, row=row)


@login_required
@require_GET
def speech_file(request: HttpRequest, pk: int, row_pk: int) -> FileResponse:
    """A speech's text file, for readers of the conference only; never a public URL."""
    conference = _visible(request, pk)
    speech = get_object_or_404(Speech.objects.restrict(request.user, "view"), pk=row_pk, conference=conference)
    if not speech.file:
        raise Http404
    try:
        handle = speech.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=speech.original_name or "phat-bieu", content_type=speech.content_type
    )
