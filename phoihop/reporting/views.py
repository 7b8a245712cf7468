"""Pages of the reporting cycle: periods, completeness, reports (drafting, sending, approval),
documents, background builds, signed scans and the Word templates.

Reads go through ``restrict(user, action)``: a record out of sight answers 404; an action the
user may not take on a record they see answers 403. Writes go only through the services.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.accounts.models import User
from phoihop.audit.trail import trail_for
from phoihop.core import statements
from phoihop.core.forms import add_service_error
from phoihop.core.gate import INTEGRITY, OFFICIAL_TEXT, PROGRAMME_DATA
from phoihop.core.permissions import perms
from phoihop.core.services import Conflict, OutOfScope
from phoihop.documents.builders import number_text
from phoihop.figures.periods import REPORTING_KIND_CHOICES, REPORTING_KIND_VALUES
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Phase, Programme
from phoihop.programmes.selectors import covers, joint_partners, party_roots
from phoihop.reporting import content as report_content
from phoihop.reporting import content_html, documents, period_rows, registers, report_rows, selectors, services, tasks
from phoihop.reporting import letters as period_letters
from phoihop.reporting.filtersets import ReportFilterSet
from phoihop.reporting.forms import (
    JobForm,
    OpenForm,
    PeriodForm,
    ReportForm,
    RequestForm,
    ScanForm,
    TemplateUploadForm,
    narrative_keys,
)
from phoihop.reporting.models import (
    BodyKind,
    DocumentJob,
    DocumentTemplate,
    JobStatus,
    RegisteredNumber,
    Report,
    ReportingPeriod,
    ReportRequest,
)
from phoihop.reporting.permissions import approvable_units, manages_programme

PAGE_SIZE = 50
OWED_LIMIT = 50
SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _attachment(content: bytes | Any, filename: str, content_type: str) -> FileResponse:
    """A file that always downloads and never runs in the browser."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- periods --------------------------------------------------------------------------------------


def _period_or_404(request: HttpRequest, pk: int) -> ReportingPeriod:
    qs = ReportingPeriod.objects.restrict(request.user, "view").select_related("programme", "phase")
    return get_object_or_404(qs, pk=pk)


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.visible_programmes(request.user)
    code = request.GET.get("programme", "").strip()
    programme = next((p for p in programmes if p.code == code), None)
    # A code out of sight is never echoed: the page falls back to the first programme.
    programme_missing = bool(code) and programme is None
    if programme is None and programmes:
        programme = programmes[0]
    periods: Any = ReportingPeriod.objects.none()
    phases: list[Phase] = []
    phase = None
    kind = request.GET.get("kind", "")
    if programme is not None:
        # The programme was read through the gate: its phases and periods are every one of its
        # users' to read (their policies' scope is the programme's, programme_scope_q).
        phases = list(
            Phase.objects.unrestricted(PROGRAMME_DATA).filter(programme=programme).only("name").order_by("start")
        )
        phase = next((ph for ph in phases if str(ph.pk) == request.GET.get("phase", "")), None)
        periods = ReportingPeriod.objects.unrestricted(PROGRAMME_DATA).filter(programme=programme)
        if phase is not None:
            periods = periods.filter(phase=phase)
        if kind in REPORTING_KIND_VALUES:
            periods = periods.filter(kind=kind)
        periods = periods.order_by("-end", "start", "kind", "pk").values(*period_rows.FIELDS)
    page = selectors.listed(Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    if programme is not None:
        query["programme"] = programme.code
    can_manage = programme is not None and manages_programme(perms(request.user), programme)
    today = timezone.localdate()
    context = {
        "programmes": programmes,
        "programme": programme,
        "programme_missing": programme_missing,
        "phases": phases,
        "phase": phase,
        "kind": kind if kind in REPORTING_KIND_VALUES else "",
        "kinds": REPORTING_KIND_CHOICES,
        "page": page,
        "query": query.urlencode(),
        "can_manage": can_manage,
        "today": today,
    }
    context["rows_html"] = period_rows.rows_html(page, today, can_manage)
    return render(request, "reporting/period_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    if not Programme.objects.restrict(request.user, "change").exists():  # manages no programme at all
        raise OutOfScope(_("Chỉ người quản lý chương trình mới tạo được kỳ báo cáo."))
    code = request.GET.get("programme", "")
    programme = Programme.objects.restrict(request.user, "change").filter(code=code).first() if code else None
    form = PeriodForm(request.POST or None, user=request.user, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_save(
                programme=form.cleaned_data["programme"], data=form.period_data(), acting_user=request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Đã tạo kỳ báo cáo “%(name)s”.") % {"name": period.name})
            return redirect("reporting:period", pk=period.pk)
    return render(request, "reporting/period_form.html", {"form": form, "period": None, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(request, pk)
    perms(request.user).for_(period.programme).within_scope("manage")
    form = PeriodForm(request.POST or None, user=request.user, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_save(
                programme=period.programme,
                data=form.period_data(),
                acting_user=request.user,
                period=period,
                expected_version=form.expected_version,
            )
        except Conflict as exc:
            form.mark_stale(exc)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Đã lưu kỳ báo cáo “%(name)s”.") % {"name": period.name})
            return redirect("reporting:period", pk=period.pk)
    context = {"form": form, "period": period, "programme": period.programme}
    return render(request, "reporting/period_form.html", context)


@login_required
@require_POST
def period_generate(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.restrict(request.user, "view").select_related("programme"), pk=pk)
    created = services.periods_generate(phase=phase, acting_user=request.user)
    if created:
        messages.success(
            request,
            _("Đã tạo %(n)s kỳ báo cáo mặc định cho giai đoạn %(phase)s.") % {"n": len(created), "phase": phase.name},
        )
    else:
        messages.info(request, _("Giai đoạn %(phase)s đã có đủ các kỳ báo cáo mặc định.") % {"phase": phase.name})
    return redirect(f"{reverse('reporting:period-list')}?programme={phase.programme.code}&phase={phase.pk}")


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(request, pk)
    under_code = request.GET.get("under", "").strip()
    under = (
        OrgUnit.objects.restrict(request.user, "view").filter(code__iexact=under_code).first() if under_code else None
    )
    under_missing = bool(under_code) and under is None
    rates = [] if under_missing else selectors.completeness(period=period, user=request.user, under=under)
    writable = set(OrgUnit.objects.restrict(request.user, "change").values_list("pk", flat=True)) if rates else set()
    total: dict[str, float] = {
        "expected": sum(r.expected for r in rates),
        "submitted": sum(r.submitted for r in rates),
        "on_time": sum(r.on_time for r in rates),
    }
    total["share_submitted"] = total["submitted"] / total["expected"] if total["expected"] else 0.0
    total["share_on_time"] = total["on_time"] / total["expected"] if total["expected"] else 0.0
    # The units the user writes for (their own role units inside the programme's parties):
    # each may open its report for the period even without a request.
    roots = party_roots(period.programme_id)
    own_units = [
        u
        for u in OrgUnit.objects.restrict(request.user, "change")
        .filter(pk__in=perms(request.user).scope.unit_ids("change"))
        .order_by("path")
        if covers(period.programme_id, u, roots)
    ]
    context = {
        "period": period,
        "own_units": own_units,
        "rates": rates,
        "total": total,
        "under": under,
        "under_missing": under_missing,
        "writable": writable,
        "can_manage": manages_programme(perms(request.user), period.programme),
        "request_form": RequestForm(period=period) if perms(request.user).for_(period).can("request") else None,
        "today": timezone.localdate(),
        # The official letters: for those who may write them; the reminder only when a unit is overdue.
        "can_write_letters": bool(period_letters.issuers(request.user, period)),
        "any_overdue": period_letters.any_overdue(rates, timezone.localdate()),
    }
    return render(request, "reporting/period_detail.html", context)


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(request, pk)
    form = RequestForm(request.POST, period=period)
    target = reverse("reporting:period", kwargs={"pk": period.pk})
    under = None
    under_code = request.POST.get("under", "").strip()
    if under_code:
        under = OrgUnit.objects.restrict(request.user, "view").filter(code__iexact=under_code).first()
        if under is None:
            raise Http404
        target += f"?under={under.code}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    try:
        created = services.requests_create(
            period=period,
            levels=form.cleaned_data["levels"],
            acting_user=request.user,
            due_date=form.cleaned_data["due_date"],
            under=under,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if created:
            messages.success(request, _("Đã gửi yêu cầu báo cáo đến %(n)s đơn vị.") % {"n": created})
        else:
            messages.info(request, _("Các đơn vị ở những cấp đã chọn đều đã có yêu cầu báo cáo của kỳ này."))
    return redirect(target)


# --- reports list --------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    qs = Report.objects.restrict(request.user, "view")
    filterset = ReportFilterSet(request.GET or None, queryset=qs, request=request)
    # A filter refused (say a period out of sight) shows nothing rather than everything.
    reports = filterset.qs if not filterset.is_bound or filterset.is_valid() else qs.none()
    # The whole list (no filter), the page most opened: its statements are kept (selectors.list_page).
    whole = request.user if not any(key != "page" for key in request.GET) else None
    page = selectors.list_page(reports, request.GET.get("page"), PAGE_SIZE, whole_list_of=whole)
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    # What was typed is shown again only when it found something: a name or code of a unit out
    # of the user's sight never comes back in the page.
    unit_text = request.GET.get("unit", "").strip()
    unit_missing = bool(unit_text) and not page.paginator.count
    if unit_missing:
        query.pop("unit", None)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "rows_html": report_rows.rows_html(page, today),
        "query": query.urlencode(),
        "unit_text": "" if unit_missing else unit_text,
        "unit_missing": unit_missing,
    }
    if filterset.form.cleaned_data.get("due_soon") if filterset.is_bound and filterset.is_valid() else False:
        # From the inbox: every request due within 7 days or late (its rule), not the first 20 owed.
        from phoihop.inbox.selectors import requests_due

        due = requests_due(request.user).select_related("unit", "period").only(*selectors.OWED_ONLY)
        context["owed"] = [selectors.row_of(r) for r in due.order_by("due_date", "unit__path")]
        context["owed_limit"] = len(context["owed"]) + 1
    else:
        context["owed"] = selectors.owed(request.user, today, limit=OWED_LIMIT)
        context["owed_limit"] = OWED_LIMIT
    return render(request, "reporting/report_list.html", context)


# --- opening a report ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_open(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    period = _period_or_404(request, _int(params.get("period")) or 0)
    code = (params.get("unit") or "").strip()
    unit = get_object_or_404(OrgUnit.objects.restrict(request.user, "view"), code=code) if code else None
    if unit is None:
        raise Http404
    if not perms(request.user).reaches(unit, "change"):
        raise OutOfScope(_("Bạn không có quyền soạn báo cáo của đơn vị này."))
    existing = (
        Report.objects.restrict(request.user, "view")
        .filter(period=period)
        .filter(Q(unit=unit) | Q(partner_unit=unit))
        .first()
    )
    if existing is not None:
        return redirect("reporting:report", pk=existing.pk)
    period_reports = Report.objects.unrestricted(INTEGRITY).filter(period=period)
    taken = set(period_reports.values_list("unit_id", flat=True)) | set(
        period_reports.filter(partner_unit__isnull=False).values_list("partner_unit_id", flat=True)
    )
    partners = [u for u in joint_partners(unit, period.end) if u.pk not in taken]
    form = OpenForm(request.POST if request.method == "POST" else None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_open(
                period=period, unit=unit, acting_user=request.user, partner_unit=form.partner_unit
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Đã mở báo cáo %(period)s của %(unit)s.") % {"period": period.name, "unit": unit.name}
            )
            return redirect("reporting:report", pk=report.pk)
    request_row = ReportRequest.objects.restrict(request.user, "view").filter(period=period, unit=unit).first()
    context = {"period": period, "unit": unit, "form": form, "request_row": request_row}
    return render(request, "reporting/report_open.html", context)


# --- the report page ---------------------------------------------------------------------------


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    qs = Report.objects.restrict(request.user, "view").select_related(
        "period__programme", "period__phase", "unit", "partner_unit", "created_by", "submitted_by", "decided_by"
    )
    return get_object_or_404(qs, pk=pk)


def number_label(report: Report) -> str:
    """ "Số: 01/BC-HCCB", or "Số: …/BC-HCCB" while the number is still to be taken."""
    bodies = [
        documents.body_for(unit, {}, report.number if k == 0 else None, with_parent=False)
        for k, unit in enumerate(report.units)
    ]
    return number_text(bodies, blank="…")


def _approvals(report: Report) -> list[dict[str, Any]]:
    if not report.approvals:  # not approved by anyone yet: nobody to read
        return []
    units = {u.pk: u for u in report.units}
    approvers = User.objects.unrestricted(OFFICIAL_TEXT).filter(pk__in=[a.get("by") for a in report.approvals])
    users = {u.pk: u for u in approvers}
    rows = []
    for a in report.approvals:
        unit = units.get(a.get("unit"))
        user = users.get(a.get("by"))
        at = datetime.fromisoformat(a["at"]) if a.get("at") else None
        rows.append(
            {
                "unit": unit.name if unit else "",
                "by": (user.get_full_name() or user.username) if user else "",
                "at": timezone.localtime(at) if at else None,
            }
        )
    return rows


CELL = '<td class="text-end">'
CELL_BETWEEN = '</td><td class="text-end">'


def _annex_body(rows: list[dict[str, Any]]) -> SafeString:
    """The annex's rows as HTML, built once: a province's annex has over a hundred rows of a dozen
    numbers, too many cells for a template loop (tens of milliseconds)."""
    lines = []
    texts: dict[int, str] = {}  # each number written once (most cells of a ward's annex are 0)
    for row in rows:
        cells = []
        for v in row["values"]:
            text = texts.get(v) if type(v) is int else None
            if text is None:
                text = content_html.number(v)
                if type(v) is int:
                    texts[v] = text
            cells.append(text)
        body = f"{CELL}{CELL_BETWEEN.join(cells)}</td>" if cells else ""
        lines.append(f"<tr><td>{escape(row['name'])}</td>{body}</tr>\n")
    return mark_safe("".join(lines))  # the names are escaped, the numbers are digits


def annex_tables(content: dict[str, Any]) -> list[dict[str, Any]]:
    indicators = {i["id"]: i for i in content["indicators"]}
    return [
        {
            "unit": annex["unit"],
            "columns": [indicators[i] for i in annex["indicator_ids"] if i in indicators],
            "rows": annex["rows"],
            "head": content_html.annex_head(indicators[i] for i in annex["indicator_ids"] if i in indicators),
            "body": _annex_body(annex["rows"]),
            "foot": content_html.annex_totals(annex["totals"]),
        }
        for annex in content["annexes"]
    ]


# An annex of up to this many rows opens with the page; a longer one when asked for.
ANNEX_OPEN_ROWS = 12


def annex_cards(report: Report, content: dict[str, Any]) -> list[dict[str, Any]]:
    """The report page's annexes, whose tables load apart (``report_annex``): a sent report's
    from its frozen content, a draft's from its units (a live annex sums every child unit).
    An annex opens with the page when it is short (a draft's: the unit has few children)."""
    if content.get("annexes") is not None:
        shown = [(a["unit"]["name"], len(a["rows"])) for a in content["annexes"]]
    else:
        shown = [(unit.name, unit.numchild) for unit in report.units]
    return [
        {"n": n, "unit_name": name, "open": size <= ANNEX_OPEN_ROWS} for n, (name, size) in enumerate(shown, start=1)
    ]


def narrative_sections(report: Report, content: dict[str, Any]) -> list[tuple[str, str]]:
    names = {f"field:{f['code']}": f["name"] for f in content["fields"]}
    sections = []
    for key, label in narrative_keys(report):
        if key.startswith("field:") and key in names:
            label = _("Kết quả lĩnh vực: %(name)s") % {"name": names[key]}
        elif key == "intro":
            label = _("Mở đầu")
        sections.append((label, report.section_text(key)))
    return sections


def _recent_jobs(report: Report) -> list[DocumentJob]:
    """The report's last five documents asked for (the report is read through the gate already);
    the statement kept per report (core/statements.py), the rows read afresh."""
    report_id = report.pk

    def build() -> Any:
        jobs = DocumentJob.objects.unrestricted(OFFICIAL_TEXT).filter(report_id=report_id)
        return jobs.order_by("-created_at").values(*statements.attnames(DocumentJob))[:5]

    return statements.instances(DocumentJob, statements.rows(("report jobs", report_id), build))


def _report_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    user = request.user
    content = report_content.content_for(report, annexes=False)
    may = perms(user).for_(report)
    approvable = approvable_units(perms(user), report) if may.can("approve") else []
    children = report_content.child_report_rows(report)
    visible = (
        set(
            Report.objects.restrict(user, "view")
            .filter(pk__in=[c["pk"] for c in children])
            .values_list("pk", flat=True)
        )
        if children
        else set()
    )
    context = {
        "report": report,
        "content": content,
        "annexes": annex_cards(report, content),
        "activities": content_html.activity_items(content.get("activities", [])),
        "models": content_html.model_items(content.get("models", [])),
        "sections": narrative_sections(report, content),
        "number_label": number_label(report),
        "differences": report_content.live_differences(report) if report.is_sent else [],
        "children": [c for c in children if c["pk"] in visible],
        "approvals": _approvals(report),
        "trail": trail_for(report),
        "jobs": _recent_jobs(report),
        # Annotated on the report by report_detail's read (selectors.with_due_date).
        "due": getattr(report, "due", None),
        "late": bool(getattr(report, "late", False)),
        "can_edit": may.can("edit"),
        "can_submit": may.can("submit"),
        # What the signers lack, said before "Gửi" is pressed (the service refuses it too).
        "signer_problems": services.report_signer_problems(report) if report.is_editable else [],
        "can_delete": may.can("delete"),
        "can_approve": bool(approvable),
        "approvable": approvable,
        "can_return": may.can("return"),
        "can_reopen": may.can("reopen"),
        "can_scan": may.can("change") and report.is_sent,
        "scan_form": ScanForm(),
        "job_form": JobForm(),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The report, its due date, whether it is late and whether the reader may change or approve
    # it in one restricted read (its statement kept: selectors.report_for_page).
    found = selectors.report_for_page(request.user, pk)
    if found is None:
        raise Http404("No Report matches the given query.")
    report, in_scope = found
    may = perms(request.user)
    for action, answer in in_scope.items():
        may.knows(report, action, answer)
    return render(request, "reporting/report_detail.html", _report_context(request, report))


@login_required
@require_GET
def report_annex(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    """Annex ``n`` (from 1) of the report: its table alone for the report page (htmx), or a page."""
    report = _report_or_404(request, pk)
    tables = annex_tables(report_content.content_for(report))
    if not 1 <= n <= len(tables):
        raise Http404
    template = "reporting/_annex_table.html" if getattr(request, "htmx", False) else "reporting/report_annex.html"
    return render(request, template, {"report": report, "annex": tables[n - 1], "n": n})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    verdict = perms(request.user).for_(report).within_scope("edit")
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect("reporting:report", pk=report.pk)
    form = ReportForm(request.POST or None, report=report)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                report=report,
                data=form.report_data(),
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except services.VersionConflict as exc:
            # Nothing is lost: the form comes back with what the writer typed.
            conflict = " ".join(exc.messages)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("reporting:report", pk=report.pk)
    content = report_content.content_for(report, annexes=False)
    context = {"report": report, "form": form, "conflict": conflict, "content": content}
    return render(request, "reporting/report_form.html", context)


def _act(request: HttpRequest, report: Report, action: Callable[[], Any], success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    perms(request.user).for_(report).within_scope("change")
    version = _int(request.POST.get("version"))
    return _act(
        request,
        report,
        lambda: services.report_submit(
            report=report,
            acting_user=request.user,
            expected_version=version,
            take_number=request.POST.get("blank_number") != "1",
        ),
        _("Đã gửi báo cáo lên cấp trên; số liệu đã được chốt vào báo cáo."),
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    return _act(
        request,
        report,
        lambda: services.report_approve(report=report, acting_user=request.user),
        _("Đã duyệt báo cáo; số liệu của đơn vị trong kỳ đã được khóa."),
    )


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        report,
        lambda: services.report_return(report=report, reason=reason, acting_user=request.user),
        _("Đã trả lại báo cáo cho đơn vị."),
    )


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        report,
        lambda: services.report_reopen(report=report, reason=reason, acting_user=request.user),
        _("Đã mở lại báo cáo; khóa số liệu của kỳ đã được mở lại."),
    )


@login_required
@require_POST
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    perms(request.user).for_(report).within_scope("change")
    label = str(report)
    try:
        services.report_delete(report=report, acting_user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("reporting:report", pk=report.pk)
    messages.success(request, _("Đã xóa bản nháp báo cáo “%(report)s”.") % {"report": label})
    return redirect("reporting:report-list")


# --- documents -----------------------------------------------------------------------------------


@login_required
@require_GET
def report_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    from phoihop.documents import builders

    report = _report_or_404(request, pk)
    if fmt not in documents.FORMATS:
        raise Http404
    if fmt == "pdf" and not builders.pdf_available():
        messages.error(request, str(builders.PdfUnavailable()))
        return redirect("reporting:report", pk=report.pk)
    try:
        built = documents.build(report, fmt)
    except (builders.PdfUnavailable, builders.PdfFailed, builders.TemplateFailed) as exc:
        messages.error(request, str(exc))
        return redirect("reporting:report", pk=report.pk)
    return _attachment(built.content, built.filename, built.content_type)


@login_required
@require_POST
def report_job_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    form = JobForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn định dạng văn bản."))
        return redirect("reporting:report", pk=report.pk)
    job = tasks.job_start(report=report, fmt=form.cleaned_data["format"], acting_user=request.user)
    return redirect("reporting:job", pk=job.pk)


def _job_or_404(request: HttpRequest, pk: int) -> DocumentJob:
    qs = DocumentJob.objects.restrict(request.user, "view").select_related("report__period", "report__unit")
    return get_object_or_404(qs, pk=pk)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    context = {"job": job, "polling": job.status in (JobStatus.PENDING, JobStatus.RUNNING)}
    if getattr(request, "htmx", False):
        return render(request, "reporting/_job_status.html", context)
    return render(request, "reporting/job_detail.html", context)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job_or_404(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return _attachment(
        handle, job.filename or f"bao-cao.{job.format}", documents.FORMATS.get(job.format, "application/octet-stream")
    )


# --- signed scan ---------------------------------------------------------------------------------


@login_required
@require_POST
def report_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    perms(request.user).for_(report).within_scope("change")
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp bản ký (PDF, JPEG hoặc PNG)."))
        return redirect("reporting:report", pk=report.pk)
    return _act(
        request,
        report,
        lambda: services.signed_scan_upload(report=report, upload=form.cleaned_data["file"], acting_user=request.user),
        _("Đã lưu bản ký đã quét."),
    )


@login_required
@require_GET
def report_scan(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed scan of a report the user may read; never a public URL."""
    report = _report_or_404(request, pk)
    if not report.signed_scan:
        raise Http404
    try:
        handle = report.signed_scan.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = report.signed_scan_type if report.signed_scan_type in SCAN_TYPES else "application/octet-stream"
    return _attachment(handle, report.signed_scan_name or "ban-ky", content_type)


# --- templates (system administrators) --------------------------------------------------------


def _template_page(request: HttpRequest, form: TemplateUploadForm, status: int = 200) -> HttpResponse:
    templates = list(DocumentTemplate.objects.restrict(request.user, "view").select_related("uploaded_by"))
    active = {}
    for t in templates:
        if t.is_active and t.kind not in active:
            active[t.kind] = t.pk
    kinds = [
        {"kind": kind, "label": label, "versions": [t for t in templates if t.kind == kind], "active": active.get(kind)}
        for kind, label in BodyKind.choices
    ]
    return render(request, "reporting/template_list.html", {"kinds": kinds, "form": form}, status=status)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    if not perms(request.user).is_system_admin:  # templates: system administrators only
        raise Http404
    return _template_page(request, TemplateUploadForm())


@login_required
@require_POST
def template_upload(request: HttpRequest) -> HttpResponse:
    if not perms(request.user).is_system_admin:  # templates: system administrators only
        raise Http404
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            template = services.template_upload(
                kind=form.cleaned_data["kind"],
                content=form.cleaned_data["file"].read(),
                acting_user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Đã tải lên mẫu %(template)s.") % {"template": template})
            return redirect("reporting:template-list")
    return _template_page(request, form, status=200)


@login_required
@require_GET
def template_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not perms(request.user).is_system_admin:  # templates: system administrators only
        raise Http404
    template = get_object_or_404(DocumentTemplate.objects.restrict(request.user, "view"), pk=pk)
    try:
        handle = template.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return _attachment(handle, f"mau-{template.kind}-v{template.version}.docx", documents.FORMATS["docx"])


@login_required
@require_GET
def template_default(request: HttpRequest, kind: str) -> HttpResponseBase:
    from phoihop.documents.builders import default_template

    if not perms(request.user).is_system_admin:  # templates: system administrators only
        raise Http404
    if kind not in BodyKind.values:
        raise Http404
    return _attachment(default_template(kind), f"mau-{kind}-goc.docx", documents.FORMATS["docx"])


@login_required
@require_POST
def template_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    if not perms(request.user).is_system_admin:  # templates: system administrators only
        raise Http404
    template = get_object_or_404(DocumentTemplate.objects.restrict(request.user, "view"), pk=pk)
    services.template_set_active(template=template, active=not template.is_active, acting_user=request.user)
    if template.is_active:
        messages.success(request, _("Đã dùng lại mẫu %(template)s.") % {"template": template})
    else:
        messages.success(request, _("Đã thôi dùng mẫu %(template)s.") % {"template": template})
    return redirect("reporting:template-list")


# --- the register of outgoing documents ---------------------------------------------------------


def _document_link(entry: RegisteredNumber) -> str:
    """The page of the document that took the number, when there is one."""
    if entry.object_id is None or entry.content_type is None:
        return ""
    names = {
        ("reporting", "report"): "reporting:report",
        ("commendations", "decision"): "commendations:decision-detail",
        ("reporting", "reportingperiod"): "reporting:period",  # a period's official letters
    }
    name = names.get((entry.content_type.app_label, entry.content_type.model))
    return reverse(name, args=[entry.object_id]) if name else ""


def _register_unit_or_404(request: HttpRequest, pk: int) -> OrgUnit:
    """A body whose register the user may read: one in their subtree (else 404, as missing)."""
    unit: OrgUnit = get_object_or_404(
        OrgUnit.objects.unrestricted("a body looked up before its reach is checked"), pk=pk
    )
    if not perms(request.user).reaches(unit, "view"):
        raise Http404("No register matches the given query.")
    return unit


@login_required
@require_GET
def register_home(request: HttpRequest) -> HttpResponse:
    """The bodies whose registers the user may read, each with its years."""
    bodies = list(registers.registering_bodies(user=request.user).order_by("path")[:200])
    years: dict[int, list[int]] = {}
    lines = RegisteredNumber.objects.restrict(request.user, "view").filter(unit__in=[b.pk for b in bodies])
    for unit_id, year in lines.values_list("unit_id", "year").distinct():
        years.setdefault(unit_id, []).append(year)
    rows = [{"unit": b, "years": sorted(years.get(b.pk, []), reverse=True)} for b in bodies]
    return render(request, "reporting/register_home.html", {"rows": rows})


@login_required
@require_GET
def register_detail(request: HttpRequest, unit: int, year: int) -> HttpResponse:
    """Sổ văn bản đi: a body's register for a year, as its clerk keeps it."""
    body = _register_unit_or_404(request, unit)
    lines = list(registers.register_lines(user=request.user, unit=body, year=year))
    may = perms(request.user)
    rows = [{"entry": e, "link": _document_link(e), "can_cancel": may.for_(e).can("cancel")} for e in lines]
    context = {
        "body": body,
        "year": year,
        "rows": rows,
        "years": sorted({year, *registers.register_years(user=request.user, unit=body)}, reverse=True),
        "issued": sum(1 for e in lines if not e.is_cancelled),
        "cancelled": sum(1 for e in lines if e.is_cancelled),
    }
    return render(request, "reporting/register.html", context)


@login_required
@require_POST
def register_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a number (POST, with its reason): it stays in the register, struck out."""
    entry = get_object_or_404(RegisteredNumber.objects.restrict(request.user, "view"), pk=pk)
    perms(request.user).for_(entry).within_scope("cancel")
    try:
        registers.number_cancel(entry=entry, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã hủy số %(number)s; số này không cấp lại.") % {"number": entry.label})
    return redirect("reporting:register", unit=entry.unit_id, year=entry.year)


# --- official letters of a period (công văn yêu cầu báo cáo, đôn đốc) ----------------------------


def _letter_issuer_or_404(request: HttpRequest, period: ReportingPeriod, params: Any) -> OrgUnit:
    """The issuing unit asked for (``unit``: a code), else the user's first; 404 when it is not
    one the user writes letters for (another province's, or none at all)."""
    issuer = period_letters.issuer_for(request.user, period, params.get("unit", ""))
    if issuer is None:
        raise Http404("No issuing unit matches the given query.")
    return issuer


def _letter_day(params: Any) -> datetime | None:
    text = (params.get("on") or "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return None


def _letter_query(issuer: OrgUnit, params: Any) -> str:
    from urllib.parse import urlencode

    query = {"unit": issuer.code}
    for key in ("on", "signer"):
        if params.get(key):
            query[key] = params[key]
    return urlencode(query)


@login_required
@require_GET
def period_letter(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A letter of the period: the units it names, who signs, the downloads (preview, or issued
    with its number from the register)."""
    from phoihop.documents.pdf import pdf_available
    from phoihop.reporting import authority

    period = _period_or_404(request, pk)
    if kind not in period_letters.KINDS:
        raise Http404
    issuer = _letter_issuer_or_404(request, period, request.GET)
    day = _letter_day(request.GET)
    on_date = day.date() if day else timezone.localdate()
    letter: period_letters.Letter | None = None
    error = ""
    try:
        letter = period_letters.letter_preview(
            kind, period, issuer, request.user, on_date=on_date, signer_name=request.GET.get("signer", "")
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    rows = letter.rows if letter is not None else []
    body = documents.issuing_unit(issuer)
    context = {
        "period": period,
        "kind": kind,
        "title": _("Công văn đôn đốc báo cáo") if kind == period_letters.REMINDER else _("Công văn yêu cầu báo cáo"),
        "issuer": issuer,
        "body": body,
        "issuers": [(u, documents.issuing_unit(u)) for u in period_letters.issuers(request.user, period)],
        "letter": letter,
        "rows": rows,
        "error": error,
        "on_date": on_date,
        "signatories": authority.signatories_on(issuer, on_date),
        "signer": request.GET.get("signer", ""),
        "issued": period_letters.request_entry(period, issuer) if kind == period_letters.REQUEST else None,
        "query": _letter_query(issuer, request.GET),
        "pdf": pdf_available(),
    }
    return render(request, "reporting/period_letter.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_letter_file(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponseBase:
    """GET: the letter without a number (a preview, blank for the clerk). POST: issued, its
    number taken from the body's register (once; asked again, the same number)."""
    from phoihop.documents import builders

    period = _period_or_404(request, pk)
    if kind not in period_letters.KINDS or fmt not in period_letters.LETTER_FORMATS:
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    issuer = _letter_issuer_or_404(request, period, params)
    day = _letter_day(params)
    back = (
        f"{reverse('reporting:period-letter', kwargs={'pk': period.pk, 'kind': kind})}?{_letter_query(issuer, params)}"
    )
    if fmt == "pdf" and not builders.pdf_available():
        messages.error(request, str(builders.PdfUnavailable()))
        return redirect(back)
    on_date, signer = (day.date() if day else None), params.get("signer", "")
    write = period_letters.letter_issue if request.method == "POST" else period_letters.letter_preview
    try:
        letter = write(kind, period, issuer, request.user, on_date=on_date, signer_name=signer)
        built = period_letters.build(letter, fmt)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(back)
    except (builders.PdfUnavailable, builders.PdfFailed, builders.TemplateFailed) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return _attachment(built.content, built.filename, built.content_type)
