"""The page "Ghi hội nghị từ bài viết": read a news report, show the draft beside the text, record
what the user confirms (issue 16). Nothing is saved before the confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from phoihop.conferences import services
from phoihop.conferences.forms import (
    PERSON_GUEST,
    PERSON_NEW,
    ArticleConferenceForm,
    ArticlePeopleFormSet,
    ArticleReadForm,
)
from phoihop.conferences.from_article import Proposal, extracted, home_unit, match, namesakes, read_article
from phoihop.conferences.models import KEEP_DRAFT_DAYS, ArticleDraft
from phoihop.conferences.permissions import NOT_AN_ORGANISER
from phoihop.core.formats import vn_date
from phoihop.core.forms import add_service_error
from phoihop.core.permissions import perms
from phoihop.core.services import OutOfScope

# What each highlighted value is, in the legend and the marks' titles (the record's fields).
FIELDS = {
    "event_kind": gettext_lazy("Loại sự kiện"),
    "date": gettext_lazy("Ngày"),
    "place": gettext_lazy("Địa danh"),
    "parties": gettext_lazy("Các bên"),
    "phases": gettext_lazy("Giai đoạn"),
    "chairs": gettext_lazy("Chủ trì"),
    "other_people": gettext_lazy("Đại biểu"),
}


def highlighted(text: str, evidence: dict[str, list[list[int]]]) -> SafeString:
    """``text`` escaped, each value's source marked with its field (overlaps: the first kept)."""
    spans = sorted(
        (int(start), int(end), name)
        for name, ranges in evidence.items()
        if name in FIELDS
        for start, end in ranges
        if 0 <= int(start) < int(end) <= len(text)
    )
    parts: list[str] = []
    at = 0
    for start, end, name in spans:
        if start < at:
            continue
        parts.append(escape(text[at:start]))
        parts.append(f'<mark class="ev ev-{name}" title="{escape(str(FIELDS[name]))}">{escape(text[start:end])}</mark>')
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))


def _initial(proposal: Proposal, text: str, source_name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    conference = {
        "text": text,
        "source_name": source_name,
        "programme": proposal.programme,
        "kind": proposal.kind,
        "title": proposal.title,
        "held_on": proposal.held_on,
        "place": proposal.place,
        "phase": proposal.phase,
        "signed_years": proposal.signed_years,
        "organiser_codes": ", ".join(u.code for u in proposal.organisers),
        "into": proposal.duplicate,
    }
    people = []
    for person in proposal.people:
        unit = home_unit(person, proposal.organisers)
        best = person.person
        people.append(
            {
                "role": person.role,
                "name": person.name,
                "rank": person.rank,
                "positions": "\n".join(person.positions),
                "person": str(best.pk) if best else (PERSON_NEW if person.role == "chair" else PERSON_GUEST),
                "new_in": unit.code if unit is not None else "",
            }
        )
    return conference, people


def _people_formset(request: HttpRequest, initial: list[dict[str, Any]] | None = None) -> Any:
    def found(name: str) -> list[Any]:
        return namesakes(name, [], request.user)

    kwargs = {"user": request.user, "namesakes": found}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return ArticlePeopleFormSet(request.POST, prefix="people", form_kwargs=kwargs)
    return ArticlePeopleFormSet(initial=initial or [], prefix="people", form_kwargs=kwargs)


def _review(
    request: HttpRequest,
    text: str,
    form: ArticleConferenceForm,
    people: Any,
    record: dict[str, Any],
    proposal: Proposal,
    **extra: Any,
) -> HttpResponse:
    duplicate = proposal.duplicate
    context = {
        "proposal": proposal,
        "is_system_admin": perms(request.user).is_system_admin,
        "can_supplement": duplicate is not None and form.fields["into"].queryset.filter(pk=duplicate.pk).exists(),  # type: ignore[attr-defined]
        "form": form,
        "people": people,
        "record": record,
        "marked": highlighted(text, record.get("evidence") or {}),
        "fields": FIELDS,
        **extra,
    }
    return render(request, "conferences/from_article_review.html", context)


def _confirm(request: HttpRequest, form: ArticleConferenceForm, people: Any) -> Any:
    """Record what the user confirmed; errors land on the form, nothing typed is lost."""
    if not (form.is_valid() and people.is_valid()):
        return None
    rows = [
        services.ArticlePerson(
            role=row["role"],
            name=row["name"],
            rank=row.get("rank") or "",
            positions=tuple(row["positions"]),
            person=row["person_row"],
            new_in=row["new_unit"],
        )
        for row in (f.cleaned_data for f in people.forms)
        if row and row.get("role") != "skip"
    ]
    data = form.cleaned_data
    article = {
        "acting_user": request.user,
        "people": rows,
        "signed_years": data.get("signed_years") or "",
        "source_text": data["text"],
        "source_name": data.get("source_name") or "",
    }
    try:
        if data.get("into") is not None:
            conference = services.conference_supplement_from_article(conference=data["into"], **article)
        else:
            conference = services.conference_from_article(
                data=form.conference_data(), organisers=data["organiser_codes"], **article
            )
    except ValidationError as exc:
        add_service_error(form, exc)
        return None
    except OutOfScope:
        form.add_error(
            "organiser_codes",
            _("Bạn chỉ ghi được hội nghị do đơn vị trong phạm vi báo cáo, phê duyệt của mình tổ chức."),
        )
        return None
    return conference


@login_required
@require_http_methods(["GET", "POST"])
def from_article(request: HttpRequest) -> HttpResponse:
    """Step 1: the article (pasted or a file). Step 2: the draft beside the text, to correct.
    Step 3: the confirmation records the conference."""
    perms(request.user).require_units("change", NOT_AN_ORGANISER)
    draft_id = request.GET.get("draft", "")
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "confirm":
        form = ArticleConferenceForm(request.POST, user=request.user)
        people = _people_formset(request)
        conference = _confirm(request, form, people)
        if conference is not None:
            draft = _draft_of(request, request.POST.get("draft", ""))
            if draft is not None:
                services.article_draft_done(draft=draft, conference=conference, acting_user=request.user)
            done = (
                _("Đã bổ sung hội nghị từ bài viết.")
                if form.cleaned_data.get("into")
                else _("Đã ghi hội nghị từ bài viết.")
            )
            messages.success(request, done)
            return redirect("conferences:detail", pk=conference.pk)
        text = form.data.get("text", "")
        record = extracted(text, request.user)
        proposal = match(record, request.user)
        return _review(request, text, form, people, record, proposal, draft=request.POST.get("draft", ""))
    draft = _draft_of(request, draft_id)
    if draft is not None and draft.text:
        return _proposal_page(request, draft.text, draft.name, draft=draft.pk)
    read = ArticleReadForm(request.POST or None, request.FILES or None)
    if action == "read" and read.is_valid():
        text = read.cleaned_data["text"]
        source = read.cleaned_data["source_name"]
        upload = read.cleaned_data.get("file")
        try:
            if upload is not None:
                text = read_article(upload)
                source = source or upload.name
        except ValidationError as exc:
            read.add_error("file", exc)
        else:
            if text.strip():
                return _proposal_page(request, text, source)
            read.add_error("file", _("Tệp không có chữ để đọc."))
    return render(request, "conferences/from_article.html", {"form": read})


def _proposal_page(request: HttpRequest, text: str, source: str, draft: int | str = "") -> HttpResponse:
    record = extracted(text, request.user)
    proposal = match(record, request.user)
    initial, people_initial = _initial(proposal, text, source)
    form = ArticleConferenceForm(initial=initial, user=request.user)
    people = _people_formset(request, people_initial)
    return _review(request, text, form, people, record, proposal, draft=draft)


def _draft_of(request: HttpRequest, pk: str) -> ArticleDraft | None:
    if not pk.isdigit():
        return None
    return get_object_or_404(ArticleDraft.objects.restrict(request.user, "view"), pk=int(pk))


@login_required
@require_http_methods(["GET", "POST"])
def article_batch(request: HttpRequest) -> HttpResponse:
    """Many articles at once: a ZIP, or several .txt/.docx files (a folder's); one draft each,
    read in the background; the job's page shows the progress and leads to the drafts."""
    from phoihop.conferences.batch import articles_of_uploads

    perms(request.user).require_units("change", NOT_AN_ORGANISER)
    error = ""
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if not uploads:
            error = _("Hãy chọn một tệp ZIP hoặc các tệp bài viết.")
        else:
            try:
                job = services.article_batch_start(acting_user=request.user, articles=articles_of_uploads(uploads))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("jobs:job", pk=job.pk)
    return render(request, "conferences/article_batch.html", {"error": error})


@login_required
@require_http_methods(["GET"])
def article_drafts(request: HttpRequest) -> HttpResponse:
    """The drafts of the user's batches (one batch with ``?batch=``): open one to check and record it."""
    drafts = ArticleDraft.objects.restrict(request.user, "view").select_related("conference")
    batch = request.GET.get("batch", "")
    if batch:
        drafts = drafts.filter(batch=batch)
    drafts = list(drafts.order_by("-pk")[:500])
    newest: dict[str, int] = {}  # each batch in the order it was read, newest first; its articles by name
    for d in drafts:
        newest.setdefault(d.batch, d.pk)
    rows = [(d, _summary(d.record)) for d in sorted(drafts, key=lambda d: (-newest[d.batch], d.name))]
    context = {"rows": rows, "batch": batch, "keep_days": KEEP_DRAFT_DAYS}
    return render(request, "conferences/article_drafts.html", context)


EVENT_KINDS = {
    "so_ket": gettext_lazy("Sơ kết"),
    "tong_ket": gettext_lazy("Tổng kết"),
    "ky_ket": gettext_lazy("Ký kết"),
    "giao_ban": gettext_lazy("Giao ban"),
    "other": gettext_lazy("Khác"),
}


def _summary(record: dict[str, Any] | None) -> dict[str, Any]:
    """What a draft says, as a person reads it: "Tổng kết, ký kết · 23/9/2022 · Hà Nội"."""
    if not record:
        return {}
    kinds = [str(EVENT_KINDS.get(k, k)) for k in str(record.get("event_kind") or "other").split("+")]
    day = str(record.get("date") or "")
    if day.startswith("--"):
        month, dom = day[2:].split("-", 1) if "-" in day[2:] else ("", "")
        day = _("%(day)s/%(month)s (chưa rõ năm)") % {"day": dom.lstrip("0"), "month": month.lstrip("0")}
    elif day:
        try:
            day = vn_date(date.fromisoformat(day))
        except ValueError:
            day = ""
    line = [", ".join(kinds).capitalize(), day, str(record.get("place") or "")]
    return {
        "line": " · ".join(p for p in line if p),
        "parties": "; ".join(str(p) for p in record.get("parties") or []),
    }
