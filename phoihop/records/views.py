"""Pages for good-practice models and their spread, exchanges, lessons and proposals.

Reads are scoped first (``restrict(user, action)``): out of scope answers 404; a write on a
record the user sees but may not change answers 403. Writes go through the services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.core.forms import submit_form
from phoihop.core.gate import STRUCTURE
from phoihop.core.permissions import perms
from phoihop.core.scoping import path_prefixes
from phoihop.core.statements import plan_key
from phoihop.orgunits.models import OrgUnit
from phoihop.records import exchange_rows, services
from phoihop.records.forms import (
    ExchangeFilterSet,
    ExchangeForm,
    LessonFilterSet,
    LessonForm,
    PracticeModelFilterSet,
    PracticeModelForm,
    ProposalFilterSet,
    ProposalForm,
    ReplicationForm,
    default_unit,
    recipient_candidates,
)
from phoihop.records.models import Exchange, ExchangeRecipient, Lesson, PracticeModel, Proposal, Replication
from phoihop.records.permissions import received_q, sent_side_q, visible_deliveries

PAGE_SIZE = 50
NO_ENTRY = gettext_lazy("Tài khoản của bạn không có quyền nhập dữ liệu cho đơn vị nào.")


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _filtered(filterset: Any) -> Any:
    """The filtered rows; none when a filter is refused (say, a unit or phase out of scope)."""
    return filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- how far a model spread -----------------------------------------------------------------------


def province_of(units: Iterable[OrgUnit]) -> dict[int, int | None]:
    """Each unit's province (of the state's list) from the nearest unit with an area, itself first.

    Both sides of a province count as one place reached (Hà Nội's association and its army
    command); a unit of the 63 provinces of before 2025 counts in its province of the time.
    """
    units = list(units)
    paths = {p for u in units for p in path_prefixes(u.path, OrgUnit.steplen)}
    by_path = {
        a.path: a
        for a in OrgUnit.objects.unrestricted(STRUCTURE)
        .filter(path__in=paths)
        .select_related("area")
        .only("path", "area__kind", "area__parent")
    }
    result: dict[int, int | None] = {}
    for unit in units:
        result[unit.pk] = None
        for path in reversed(path_prefixes(unit.path, OrgUnit.steplen)):
            area = by_path[path].area if path in by_path else None
            if area is not None:
                result[unit.pk] = area.pk if area.is_province else area.parent_id
                break
    return result


def provinces_reached(model_ids: Iterable[int]) -> dict[int, int]:
    """For each model, the number of provinces its replicating units lie in."""
    # How far a model spread counts every replication; the page names only those the user reads.
    replications = list(
        Replication.objects.unrestricted("how far a model spread: provinces counted, units not shown")
        .filter(model_id__in=list(model_ids))
        .select_related("unit")
    )
    provinces = province_of(r.unit for r in replications)
    reached: dict[int, set[int]] = defaultdict(set)
    for r in replications:
        key = provinces.get(r.unit_id)
        if key is not None:
            reached[r.model_id].add(key)
    return {model_id: len(keys) for model_id, keys in reached.items()}


# --- good-practice models -----------------------------------------------------------------------


def _model_or_404(request: HttpRequest, pk: int) -> PracticeModel:
    qs = PracticeModel.objects.restrict(request.user, "view").select_related("phase__programme", "field", "origin_unit")
    return get_object_or_404(qs, pk=pk)


def _changeable_model(request: HttpRequest, pk: int) -> PracticeModel:
    model = _model_or_404(request, pk)
    perms(request.user).for_(model).within_scope("change")
    return model


@login_required
def model_list(request: HttpRequest) -> HttpResponse:
    qs = PracticeModel.objects.restrict(request.user, "view").select_related("phase__programme", "field", "origin_unit")
    filterset = PracticeModelFilterSet(request.GET or None, qs, request=request)
    models = _filtered(filterset).annotate(spread=Count("replications", distinct=True)).order_by("-started_on", "pk")
    context = {
        "filter": filterset,
        "page": _page(request, models),
        "query": _query_without_page(request),
        "can_create": perms(request.user).has_units("change"),
    }
    return render(request, "records/model_list.html", context)


@login_required
def model_top(request: HttpRequest) -> HttpResponse:
    """The models that spread most: ranked by the number of units that took them up."""
    qs = PracticeModel.objects.restrict(request.user, "view").select_related("phase__programme", "field", "origin_unit")
    filterset = PracticeModelFilterSet(request.GET or None, qs, request=request)
    ranked = (
        _filtered(filterset)
        .annotate(
            spread=Count("replications", distinct=True),
            first_on=Min("replications__replicated_on"),
            last_on=Max("replications__replicated_on"),
        )
        .filter(spread__gt=0)
        .order_by("-spread", "-last_on", "name", "pk")
    )
    page = _page(request, ranked)
    reached = provinces_reached(m.pk for m in page)
    rows = [(page.start_index() + i, m, reached.get(m.pk, 0)) for i, m in enumerate(page)]
    context = {"filter": filterset, "page": page, "rows": rows, "query": _query_without_page(request)}
    return render(request, "records/model_top.html", context)


@login_required
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model_or_404(request, pk)
    form = ReplicationForm(user=request.user) if perms(request.user).has_units("change") else None
    return _render_model(request, model, form)


def _render_model(request: HttpRequest, model: PracticeModel, form: ReplicationForm | None, status: int = 200) -> Any:
    user = request.user
    visible = list(Replication.objects.restrict(user, "view").filter(model=model).select_related("unit"))
    spread = model.replications.aggregate(n=Count("pk"), first_on=Min("replicated_on"), last_on=Max("replicated_on"))
    context = {
        "model": model,
        "replications": visible,
        "hidden_count": spread["n"] - len(visible),
        "spread": spread,
        "provinces": provinces_reached([model.pk]).get(model.pk, 0),
        "removable": set(Replication.objects.restrict(user, "change").filter(model=model).values_list("pk", flat=True)),
        "can_change": perms(user).for_(model).can("change"),
        "form": form,
    }
    return render(request, "records/model_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def model_create(request: HttpRequest) -> HttpResponse:
    perms(request.user).require_units("change", NO_ENTRY)
    form = PracticeModelForm(request.POST or None, user=request.user)
    save = lambda: services.practice_model_save(acting_user=request.user, data=form.record_data())  # noqa: E731
    model = submit_form(request, form, save, _("Đã lưu mô hình."))
    if model is not None:
        return redirect("records:model", pk=model.pk)
    return render(request, "records/model_form.html", {"form": form, "model": None})


@login_required
@require_http_methods(["GET", "POST"])
def model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    model = _changeable_model(request, pk)
    instance = PracticeModel.objects.restrict(request.user, "change").get(pk=pk)
    form = PracticeModelForm(request.POST or None, instance=instance, user=request.user)
    save = lambda: services.practice_model_save(  # noqa: E731
        acting_user=request.user, data=form.record_data(), model=model, expected_version=form.expected_version
    )
    if submit_form(request, form, save, _("Đã lưu mô hình.")) is not None:
        return redirect("records:model", pk=pk)
    return render(request, "records/model_form.html", {"form": form, "model": model})


@login_required
@require_POST
def model_delete(request: HttpRequest, pk: int) -> HttpResponse:
    model = _changeable_model(request, pk)
    services.record_delete(record=model, acting_user=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã xóa mô hình “%(name)s”.") % {"name": model.name})
    return redirect("records:model-list")


@login_required
@require_POST
def replication_add(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model_or_404(request, pk)
    perms(request.user).require_units("change", NO_ENTRY)
    form = ReplicationForm(request.POST, user=request.user)
    save = lambda: services.replication_add(  # noqa: E731
        acting_user=request.user,
        model=model,
        unit=form.cleaned_data["unit"],
        replicated_on=form.cleaned_data["replicated_on"],
        note=form.cleaned_data["note"],
    )
    if submit_form(request, form, save, _("Đã ghi nhận đơn vị nhân rộng mô hình.")) is not None:
        return redirect("records:model", pk=pk)
    return _render_model(request, model, form)


@login_required
@require_POST
def replication_remove(request: HttpRequest, pk: int, replication_pk: int) -> HttpResponse:
    model = _model_or_404(request, pk)
    replication = get_object_or_404(
        Replication.objects.restrict(request.user, "view").filter(model=model).select_related("unit"),
        pk=replication_pk,
    )
    services.replication_remove(acting_user=request.user, replication=replication)
    messages.success(request, _("Đã bỏ ghi nhận nhân rộng của %(unit)s.") % {"unit": replication.unit.display_name})
    return redirect("records:model", pk=pk)


# --- exchanges ------------------------------------------------------------------------------------


def _sent_side(user: Any) -> Any:
    """An expression: the exchange was sent from the user's subtree."""
    if perms(user).is_system_admin:
        return Value(True, output_field=BooleanField())
    return ExpressionWrapper(sent_side_q(user), output_field=BooleanField())


EXCHANGE_TABS = (("all", gettext_lazy("Tất cả")), ("in", gettext_lazy("Nhận được")), ("out", gettext_lazy("Đã gửi")))


@login_required
def exchange_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "all")
    if tab not in dict(EXCHANGE_TABS):
        tab = "all"
    qs: QuerySet[Exchange] = Exchange.objects.restrict(user, "view").select_related("sender")
    received = ExchangeRecipient.objects.filter(received_q(user))
    if tab == "in":
        qs = qs.filter(pk__in=received.values("exchange"))
    elif tab == "out":
        qs = qs.filter(sent_side_q(user))
    filterset = ExchangeFilterSet(request.GET or None, qs, request=request)
    exchanges = (
        _filtered(filterset)
        .annotate(
            unread=Exists(received.filter(exchange=OuterRef("pk"), read_at__isnull=True)),
            mine=_sent_side(user),
            n_recipients=Count("deliveries", distinct=True),
            n_read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False), distinct=True),
        )
        .order_by("-sent_at", "-pk")
    )
    # Every exchange the user reads, unfiltered: its unread rows are the in-box's badge.
    everything = tab == "all" and (
        not filterset.is_bound or (filterset.is_valid() and not any(filterset.form.cleaned_data.values()))
    )
    # The page's rows, their number and (all rows) the unread ones in one query (exchange_rows).
    # No filter chosen: the page's statement depends only on the reader, the day and the tab (kept).
    plain = not filterset.is_bound or (filterset.is_valid() and not any(filterset.form.cleaned_data.values()))
    kept_key = (tab, *plan_key(user, timezone.localdate())) if plain else None
    page = exchange_rows.page_of(
        exchanges, request.GET.get("page"), PAGE_SIZE, count_unread=everything, kept_key=kept_key
    )
    unread_count = page.also_counted  # type: ignore[attr-defined]
    if unread_count is None:
        unread_count = (
            Exchange.objects.restrict(user, "view")
            .filter(pk__in=received.filter(read_at__isnull=True).values("exchange"))
            .count()
        )
    context = {
        "filter": filterset,
        "tab": tab,
        "tabs": EXCHANGE_TABS,
        "page": page,
        "rows_html": exchange_rows.rows_html(page),
        "query": _query_without_page(request),
        "unread_count": unread_count,
        "can_create": perms(user).has_units("change"),
    }
    return render(request, "records/exchange_list.html", context)


@login_required
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    qs = (
        Exchange.objects.restrict(user, "view")
        .select_related("sender", "phase__programme", "sent_by")
        .prefetch_related(Prefetch("deliveries", queryset=ExchangeRecipient.objects.select_related("unit", "read_by")))
    )
    exchange = get_object_or_404(qs, pk=pk)

    # Opening it is reading it, for the recipient units of the reader's roles.
    services.exchange_mark_read(exchange=exchange, acting_user=user)
    may = perms(user)
    sent_side = may.reaches(exchange.sender, "view")
    deliveries = list(exchange.deliveries.all())
    shown = visible_deliveries(may, exchange)
    context = {
        "exchange": exchange,
        "deliveries": shown,
        "hidden_count": len(deliveries) - len(shown),
        "read_count": sum(1 for d in deliveries if d.read_at),
        "total": len(deliveries),
        "sent_side": sent_side,
        "attachments": list(exchange.attachments.all()),
    }
    return render(request, "records/exchange_detail.html", context)


def _sender_from(user: Any, value: str | None) -> OrgUnit | None:
    if value and value.isdigit():
        return OrgUnit.objects.restrict(user, "change").filter(pk=int(value)).first()
    return None


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request: HttpRequest) -> HttpResponse:
    """The form; a GET with its fields (htmx, or the "Tìm" button) redraws the recipient list."""
    user = request.user
    perms(user).require_units("change", NO_ENTRY)
    source = request.POST if request.method == "POST" else request.GET
    sender = _sender_from(user, source.get("sender")) if "sender" in source else default_unit(user)
    if request.method == "POST":
        form = ExchangeForm(request.POST, request.FILES, user=user, sender=sender)

        def save() -> Exchange:
            data = form.cleaned_data
            return services.exchange_send(
                acting_user=user,
                sender=data["sender"],
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                recipients=data["final_recipients"],
                phase=data["phase"],
                uploads=data["attachments"],
            )

        exchange = submit_form(request, form, save, _("Đã gửi thông tin."))
        if exchange is not None:
            return redirect("records:exchange", pk=exchange.pk)
    else:
        initial: dict[str, Any] = {k: source.get(k) for k in ("kind", "phase", "subject", "body") if source.get(k)}
        initial.update({k: True for k in ("all_children", "counterparts") if source.get(k)})
        if sender is not None:
            initial["sender"] = sender.pk
        form = ExchangeForm(initial=initial, user=user, sender=sender)
    allowed = form.fields["recipients"].queryset  # type: ignore[attr-defined]
    wanted = [int(v) for v in source.getlist("recipients") if v.isdigit()]
    selected = list(allowed.filter(pk__in=wanted).order_by("path")) if sender else []
    find = source.get("find", "").strip()
    candidates = recipient_candidates(sender, find, [u.pk for u in selected]) if sender else []
    context = {
        "form": form,
        "sender": sender,
        "selected": selected,
        "candidates": candidates,
        "find": find,
        "files_lost": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "records/exchange_form.html", context)


# --- lessons and proposals ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """How the pages of one kind of unit record (lesson, proposal) differ."""

    name: str
    model: Any
    form: Any
    filterset: Any
    save: Callable[..., Any]
    title: str | Promise
    new_title: str | Promise
    edit_title: str | Promise
    saved: str | Promise
    deleted: str | Promise
    empty: str | Promise


LESSONS = RecordKind(
    name="lesson",
    model=Lesson,
    form=LessonForm,
    filterset=LessonFilterSet,
    save=lambda *, acting_user, data, record=None, expected_version=None: services.lesson_save(
        acting_user=acting_user, data=data, lesson=record, expected_version=expected_version
    ),
    title=gettext_lazy("Bài học kinh nghiệm"),
    new_title=gettext_lazy("Ghi bài học kinh nghiệm"),
    edit_title=gettext_lazy("Sửa bài học kinh nghiệm"),
    saved=gettext_lazy("Đã lưu bài học kinh nghiệm."),
    deleted=gettext_lazy("Đã xóa bài học kinh nghiệm “%(title)s”."),
    empty=gettext_lazy("Chưa có bài học kinh nghiệm nào phù hợp."),
)
PROPOSALS = RecordKind(
    name="proposal",
    model=Proposal,
    form=ProposalForm,
    filterset=ProposalFilterSet,
    save=lambda *, acting_user, data, record=None, expected_version=None: services.proposal_save(
        acting_user=acting_user, data=data, proposal=record, expected_version=expected_version
    ),
    title=gettext_lazy("Đề xuất phương hướng, nhiệm vụ"),
    new_title=gettext_lazy("Ghi đề xuất phương hướng, nhiệm vụ"),
    edit_title=gettext_lazy("Sửa đề xuất phương hướng, nhiệm vụ"),
    saved=gettext_lazy("Đã lưu đề xuất."),
    deleted=gettext_lazy("Đã xóa đề xuất “%(title)s”."),
    empty=gettext_lazy("Chưa có đề xuất nào phù hợp."),
)


def _record_list(request: HttpRequest, kind: RecordKind) -> HttpResponse:
    user = request.user
    qs = kind.model.objects.restrict(user, "view").select_related("unit", "phase__programme", "field", "recorded_by")
    filterset = kind.filterset(request.GET or None, qs, request=request)
    page = _page(request, _filtered(filterset).order_by("-recorded_on", "-pk"))
    changeable = set(
        kind.model.objects.restrict(user, "change").filter(pk__in=[r.pk for r in page]).values_list("pk", flat=True)
    )
    context = {
        "kind": kind,
        "filter": filterset,
        "page": page,
        "query": _query_without_page(request),
        "changeable": changeable,
        "can_create": perms(user).has_units("change"),
    }
    return render(request, "records/record_list.html", context)


def _record_form(request: HttpRequest, kind: RecordKind, pk: int | None = None) -> HttpResponse:
    user = request.user
    record = None
    if pk is None:
        perms(user).require_units("change", NO_ENTRY)
        initial = {"recorded_on": timezone.localdate()}
    else:
        record = get_object_or_404(kind.model.objects.restrict(user, "view"), pk=pk)
        perms(user).for_(record).within_scope("change")
        initial = {}
    instance = kind.model.objects.restrict(user, "change").get(pk=pk) if pk is not None else None

    form = kind.form(request.POST or None, instance=instance, initial=initial, user=user)
    save = lambda: kind.save(  # noqa: E731
        acting_user=user, data=form.record_data(), record=record, expected_version=form.expected_version
    )
    if submit_form(request, form, save, str(kind.saved)) is not None:
        return redirect(f"records:{kind.name}-list")
    return render(request, "records/record_form.html", {"kind": kind, "form": form, "record": record})


def _record_delete(request: HttpRequest, kind: RecordKind, pk: int) -> HttpResponse:
    record = get_object_or_404(kind.model.objects.restrict(request.user, "view"), pk=pk)
    perms(request.user).for_(record).within_scope("change")
    services.record_delete(record=record, acting_user=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, kind.deleted % {"title": record.title})
    return redirect(f"records:{kind.name}-list")


@login_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    return _record_list(request, LESSONS)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, LESSONS)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, LESSONS, pk)


@login_required
@require_POST
def lesson_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, LESSONS, pk)


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    return _record_list(request, PROPOSALS)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, PROPOSALS)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, PROPOSALS, pk)


@login_required
@require_POST
def proposal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_delete(request, PROPOSALS, pk)
