"""Pages of joint activities: list, export, detail, create and edit, the status actions and
attachments. Views read through ``restrict`` and write only through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.activities import services
from phoihop.activities.changes import changes_since_previous_submission
from phoihop.activities.filtersets import ActivityFilterSet, filter_choices
from phoihop.activities.forms import (
    ActivityForm,
    AttachmentForm,
    area_choices,
    communes,
    province_of,
)
from phoihop.activities.list_rows import (
    Listing,
    WholeListing,
    filter_options,
    page_of,
    read_rows,
    rows_html,
    status_badge,
    status_options,
)
from phoihop.activities.models import Activity, Attachment
from phoihop.activities.permissions import remember_reach
from phoihop.audit.trail import trail_for
from phoihop.core.forms import submit_form
from phoihop.core.permissions import perms
from phoihop.entry.models import IndicatorValue
from phoihop.figures.plausibility import PlausibilityError
from phoihop.orgunits.models import AdminArea, OrgUnit

PAGE_SIZE = 50


# --- reading ---------------------------------------------------------------------------------


def _visible(request: HttpRequest) -> QuerySet[Activity]:
    """The activities the user may read, marked where they only take part (``led_here``)."""
    qs = Activity.objects.restrict(request.user, "view").select_related(
        "phase", "phase__programme", "lead_unit", "area"
    )
    led_here = Activity.objects.restrict(request.user, "change").filter(pk=OuterRef("pk"))
    return qs.annotate(led_here=Exists(led_here))


def _with_lists(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.prefetch_related(
        Prefetch("partners", queryset=OrgUnit.objects.only("pk", "code", "name", "short_name", "path")),
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.select_related("indicator", "indicator__field").order_by(
                "indicator__field__order", "indicator__order", "indicator__code"
            ),
        ),
    )


def _activity_or_404(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(_with_lists(_visible(request)), pk=pk)


def _filterset(request: HttpRequest) -> ActivityFilterSet:
    visible = Activity.objects.restrict(request.user, "view")
    return ActivityFilterSet(request.GET or None, queryset=visible, request=request)


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    # The whole list (no filter asked for) is read by statements kept for the user's roles;
    # a filtered one through the filters, its page's ids and number of rows in one query.
    filterset = None if not (request.GET.keys() - {"page"}) else _filterset(request)
    listing = WholeListing(request.user) if filterset is None else Listing(filterset.qs)
    page = page_of(listing, request.GET.get("page"), PAGE_SIZE)
    page.object_list = read_rows(list(page.object_list), request.user)
    unit_filter = filterset.unit_obj if filterset is not None else None
    unit_missing = bool(request.GET.get("unit", "").strip()) and unit_filter is None
    query = request.GET.copy()
    query.pop("page", None)
    if unit_missing:
        # Never echo a unit out of the user's sight back into the page's links; "-" names no
        # unit, so the export and the next pages stay as empty as this page.
        query["unit"] = "-"
    # The filters' values as the form reads them (the last of a repeated parameter); its dates
    # as it cleaned them. Without a query the form is not built at all.
    asked = request.GET
    cleaned = filterset.form.cleaned_data if filterset is not None and filterset.is_bound else {}
    phases, fields = filter_choices(request.user)
    context = {
        "unit_filter": unit_filter,
        "unit_filter_missing": unit_missing,
        "page": page,
        "rows_html": rows_html(page.object_list),
        "q_value": asked.get("q"),
        "start_value": cleaned.get("start"),
        "end_value": cleaned.get("end"),
        "phase_options": filter_options(phases, asked.get("phase")),
        "field_options": filter_options(fields, asked.get("field"), truncate=70),
        "status_options": status_options(asked.get("status")),
        "query": query.urlencode(),
        "can_create": perms(request.user).has_units("change"),
    }
    return render(request, "activities/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_export(request: HttpRequest) -> HttpResponse:
    # Built as a background job, streamed in constant memory (phoihop/jobs, ADR 0015).
    from phoihop.jobs.views import activity_export_start

    return activity_export_start(request)


def _detail_context(request: HttpRequest, activity: Activity, **extra: Any) -> dict[str, Any]:
    may = perms(request.user).for_(activity)
    can_attach = may.can("attach")
    context = {
        "activity": activity,
        "status_badge": status_badge(activity.status, activity.get_status_display()),
        # The activity's figures in the order of their fields and indicators, its partners by path.
        "values": [
            {"name": name, "field": field, "value": value, "unit": unit}
            for name, field, value, unit in activity.values.order_by(
                "indicator__field__order", "indicator__order", "indicator__code"
            ).values_list("indicator__name", "indicator__field__name", "value", "indicator__unit_of_measure")
        ],
        "partners": list(activity.partners.only("pk", "code", "name", "short_name", "path")),
        "attachments": list(activity.attachments.select_related("uploaded_by")),
        "trail": trail_for(activity),
        "can_change": may.can("edit"),
        "can_delete": may.can("delete"),
        "can_withdraw": may.can("withdraw"),
        "submission_changes": changes_since_previous_submission(activity),
        "can_submit": may.can("submit"),
        "can_attach": can_attach,
        "can_detach": may.can("detach"),
        "can_approve": may.can("approve"),
        "can_return": may.can("return"),
        "approval_required": activity.phase.programme.activity_approval,
        "upload_form": AttachmentForm() if can_attach else None,
        "max_upload": settings.ATTACHMENT_MAX_BYTES,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.restrict(request.user, "view").select_related("phase__programme", "lead_unit", "area"), pk=pk
    )
    # Led here (within reach to change) and within reach to approve, from the lead unit just read.
    activity.led_here = remember_reach(perms(request.user), activity)  # type: ignore[attr-defined]
    return render(request, "activities/detail.html", _detail_context(request, activity))


# --- create and edit -------------------------------------------------------------------------


def _form_errors(form: ActivityForm, save: Callable[[], Any]) -> Callable[[], Any]:
    """A service error names model fields; those the form lacks go on top of the form."""

    def run() -> Any:
        try:
            return save()
        except PlausibilityError as exc:
            raise form.plausibility_errors(exc) from exc
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors: dict[str, list[Any]] = {}
            for key, items in exc.error_dict.items():
                target = key if key in form.fields or key == NON_FIELD_ERRORS else NON_FIELD_ERRORS
                errors.setdefault(target, []).extend(items)
            raise ValidationError(errors) from exc

    return run


def _wants_submit(request: HttpRequest) -> bool:
    return request.POST.get("action") == "submit"


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, user=request.user)

    def save() -> Activity:
        data = form.cleaned_data
        return services.activity_create(
            acting_user=request.user,
            phase=data["phase"],
            lead_unit=data["lead_unit"],
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            values=form.values,
            partners=list(data["partners"]),
            area=data["area"],
            place=data["place"],
            participants_lead=data["participants_lead"],
            participants_partner=data["participants_partner"],
            description=data["description"],
            submit=_wants_submit(request),
            confirm_outliers=form.confirmed,
        )

    message = _("Đã lưu và gửi hoạt động.") if _wants_submit(request) else _("Đã lưu nháp hoạt động.")
    activity = submit_form(request, form, _form_errors(form, save), message)
    if activity is not None:
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    verdict = perms(request.user).for_(activity).within_scope("edit")
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect("activities:detail", pk=activity.pk)
    form = ActivityForm(request.POST or None, user=request.user, activity=activity)
    submit = _wants_submit(request) and activity.is_editable

    def save() -> Activity:
        with transaction.atomic():
            updated = services.activity_update(
                activity=activity,
                acting_user=request.user,
                data=form.activity_data(),
                values=form.values,
                partners=list(form.cleaned_data["partners"]),
                expected_version=form.expected_version,
                confirm_outliers=form.confirmed,
            )
            if submit:
                updated = services.activity_submit(activity=updated, acting_user=request.user)
            return updated

    message = _("Đã lưu và gửi hoạt động.") if submit else _("Đã lưu hoạt động.")
    if submit_form(request, form, _form_errors(form, save), message) is not None:
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@login_required
@require_GET
def areas(request: HttpRequest) -> HttpResponse:
    """The area picker of the form, for another province or another lead unit (htmx)."""
    province: AdminArea | None = None
    area: AdminArea | None = None
    if request.GET.get("area"):
        area = communes().filter(pk=_int(request.GET.get("area"))).first()
    if request.GET.get("area_province"):
        province = AdminArea.objects.filter(pk=_int(request.GET.get("area_province"))).first()
    elif request.GET.get("lead_unit"):
        lead = (
            OrgUnit.objects.restrict(request.user, "view")
            .filter(pk=_int(request.GET.get("lead_unit")))
            .select_related("area")
            .first()
        )
        province = province_of(lead.area) if lead is not None else None
    return render(request, "activities/_area_widget.html", {"areas": area_choices(area=area, province=province)})


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


# --- status actions ---------------------------------------------------------------------------


def _act(request: HttpRequest, activity: Activity, action: Callable[[], Any], success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
def activity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    perms(request.user).for_(activity).within_scope("change")
    return _act(
        request,
        activity,
        lambda: services.activity_submit(activity=activity, acting_user=request.user),
        _("Đã gửi hoạt động lên cấp trên."),
    )


@login_required
@require_POST
def activity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a submitted activity to change it (back to draft, recorded)."""
    activity = _activity_or_404(request, pk)
    perms(request.user).for_(activity).within_scope("change")
    reason = request.POST.get("reason", "")[:1000]
    return _act(
        request,
        activity,
        lambda: services.activity_withdraw(activity=activity, acting_user=request.user, reason=reason),
        _("Đã rút lại hoạt động; hoạt động về nháp, sửa xong hãy gửi lại."),
    )


@login_required
@require_POST
def activity_approve(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    return _act(
        request,
        activity,
        lambda: services.activity_approve(activity=activity, acting_user=request.user),
        _("Đã duyệt hoạt động."),
    )


@login_required
@require_POST
def activity_return(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        activity,
        lambda: services.activity_return(activity=activity, acting_user=request.user, reason=reason),
        _("Đã trả lại hoạt động cho đơn vị chủ trì."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    verdict = perms(request.user).for_(activity).within_scope("delete")
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect("activities:detail", pk=activity.pk)
    error = ""
    if request.method == "POST":
        try:
            services.activity_delete(activity=activity, acting_user=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Đã xóa hoạt động “%(title)s”.") % {"title": activity.title})
            return redirect("activities:list")
    return render(request, "activities/confirm_delete.html", {"activity": activity, "error": error})


# --- attachments --------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    perms(request.user).for_(activity).within_scope("change")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(acting_user=request.user, upload=form.cleaned_data["file"], activity=activity)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Đã thêm tệp đính kèm."))
            return redirect("activities:detail", pk=activity.pk)
    context = _detail_context(request, activity, upload_form=form)
    return render(request, "activities/detail.html", context)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, token: str) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.restrict(request.user, "view").filter(activity__isnull=False).select_related("activity"),
        token=token,
    )
    activity = attachment.activity
    assert activity is not None
    perms(request.user).for_(activity).within_scope("change")
    name = attachment.original_name

    return _act(
        request,
        activity,
        lambda: services.attachment_delete(
            attachment=attachment, acting_user=request.user, reason=request.POST.get("reason", "")[:500]
        ),
        _("Đã xóa tệp “%(name)s”.") % {"name": name},
    )


# Photos may show inside the page (thumbnails); documents always download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


@login_required
@require_GET
def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    """An attachment of an activity or an exchange the user may read; never a public URL."""
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), token=token)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = request.GET.get("inline") == "1" and attachment.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened directly, the file runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
