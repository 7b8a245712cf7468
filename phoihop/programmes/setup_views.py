"""The guided set-up of a programme (issue 15, item 2): six pages a manager walks through.

1. the programme and its parties (units chosen with pickers, rows added and removed);
2. its fields; 3. its indicators; 4. its phases; 5. targets per unit (the phase's target form,
   posted to ``programmes:target-set``); 6. the phases' signings (``programmes:signing-edit``).

Every step saves through ``phoihop.programmes.services``; a refusal comes back on the form, in
Vietnamese, with what was typed. Codes are suggested, never required: nothing is typed by hand
where a choice exists.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.core.forms import add_service_error, submit_form
from phoihop.core.permissions import perms
from phoihop.core.services import OutOfScope
from phoihop.programmes import selectors, services
from phoihop.programmes.forms import (
    FieldAddForm,
    IndicatorAddForm,
    IndicatorEditForm,
    PartyFormSet,
    PartySignatoryForm,
    PhaseAddForm,
    ProgrammeCreateForm,
    TargetForm,
)
from phoihop.programmes.models import Field, Indicator, Phase, Programme
from phoihop.programmes.permissions import may_create_programme
from phoihop.programmes.views import _programme_or_404

STEPS: list[tuple[str, Any]] = [
    ("programmes:edit", gettext_lazy("Chương trình và các bên")),
    ("programmes:setup-fields", gettext_lazy("Lĩnh vực")),
    ("programmes:setup-indicators", gettext_lazy("Chỉ tiêu")),
    ("programmes:setup-phases", gettext_lazy("Giai đoạn")),
    ("programmes:setup-targets", gettext_lazy("Chỉ tiêu giao")),
    ("programmes:setup-signing", gettext_lazy("Ký kết")),
]


def steps_for(programme: Programme | None, current: int) -> dict[str, Any]:
    """The step indicator: "Bước 2/6 · Lĩnh vực", and a link to every step once the programme exists."""
    rows = []
    for number, (route, title) in enumerate(STEPS, start=1):
        url = reverse(route, kwargs={"code": programme.code}) if programme is not None else ""
        rows.append({"number": number, "title": title, "url": url, "current": number == current})
    following = rows[current]["url"] if current < len(rows) else ""
    return {
        "steps": rows,
        "current": current,
        "total": len(rows),
        "title": rows[current - 1]["title"],
        "next_url": following,
        "next_title": rows[current]["title"] if current < len(rows) else "",
    }


def _managed(request: HttpRequest, code: str) -> Programme:
    """The programme the user manages: 404 if they cannot read it, 403 if they only read it."""
    programme = _programme_or_404(request, code)
    perms(request.user).for_(programme).within_scope("manage")
    return programme


def _page(request: HttpRequest, template: str, programme: Programme | None, step: int, **context: Any) -> HttpResponse:
    return render(request, template, {"programme": programme, "wizard": steps_for(programme, step), **context})


# --- step 1: the programme and its parties --------------------------------------------------------


def _party_rows(data: Any) -> list[dict[str, str]]:
    """The party rows as posted (organisation code and unit id, as the pickers sent them)."""
    try:
        total = min(int(data.get("form-TOTAL_FORMS", "0")), 20)
    except ValueError:
        total = 0
    return [
        {"organisation": data.get(f"form-{i}-organisation", ""), "unit": data.get(f"form-{i}-unit", "")}
        for i in range(max(total, 0))
    ]


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    verdict = may_create_programme(perms(request.user))
    if not verdict:
        raise OutOfScope(verdict.reason)
    party_errors: list[str] = []
    post = request.POST if request.method == "POST" else None
    if post is not None and ("add_party" in post or "remove_party" in post):
        # Add or remove a row: the page comes back with everything typed, nothing saved.
        rows = _party_rows(post)
        if "add_party" in post:
            rows.append({"organisation": "", "unit": ""})
        elif post.get("remove_party", "").isdigit() and int(post["remove_party"]) < len(rows):
            del rows[int(post["remove_party"])]
        form = ProgrammeCreateForm(
            initial={
                "title": post.get("title", ""),
                "code": post.get("code", ""),
                "activity_approval": bool(post.get("activity_approval")),
            }
        )
        parties = PartyFormSet(initial=rows, form_kwargs={"user": request.user})
        return _create_page(request, form, parties, party_errors)

    form = ProgrammeCreateForm(post)
    parties = PartyFormSet(post, initial=None if post else [{}, {}], form_kwargs={"user": request.user})
    if post is not None and form.is_valid() and parties.is_valid():
        units = [row["unit"] for row in parties.cleaned_data if row.get("unit") is not None]
        code = form.cleaned_data["code"] or services.suggest_programme_code(units)
        try:
            programme = services.programme_create(
                acting_user=request.user,
                code=code,
                title=form.cleaned_data["title"],
                parties=units,
                activity_approval=form.cleaned_data["activity_approval"],
            )
        except OutOfScope:
            party_errors.append(
                _("Bạn chỉ tạo được chương trình mà một bên ký kết là đơn vị bạn quản trị (hoặc đơn vị cấp dưới).")
            )
        except ValidationError as exc:
            errors = dict(exc.error_dict) if hasattr(exc, "error_dict") else {"parties": exc.error_list}
            for error in errors.pop("parties", []):
                party_errors.extend(error.messages)
            if errors:
                add_service_error(form, ValidationError(errors))
        else:
            messages.success(request, _("Đã tạo chương trình “%(title)s”.") % {"title": programme.title})
            return redirect("programmes:setup-fields", code=programme.code)
    return _create_page(request, form, parties, party_errors)


def _create_page(request: HttpRequest, form: Any, parties: Any, party_errors: list[str]) -> HttpResponse:
    return _page(
        request,
        "programmes/setup/create.html",
        None,
        1,
        form=form,
        parties=parties,
        party_errors=party_errors,
    )


# --- step 2: fields -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def setup_fields(request: HttpRequest, code: str) -> HttpResponse:
    programme = _managed(request, code)
    fields = list(Field.objects.restrict(request.user, "view").filter(programme=programme).order_by("order", "code"))
    next_order = max((f.order for f in fields), default=0) + 1
    add_form = FieldAddForm(initial={"order": next_order}, prefix="add")
    edit_forms = {f.pk: FieldAddForm(initial={"name": f.name, "order": f.order}, prefix=f"f{f.pk}") for f in fields}
    if request.method == "POST":
        chosen = request.POST.get("field", "")
        if chosen:
            field = next((f for f in fields if str(f.pk) == chosen), None)
            if field is None:
                raise Http404
            form = edit_forms[field.pk] = FieldAddForm(request.POST, prefix=f"f{field.pk}")
            saved = submit_form(
                request,
                form,
                lambda: services.field_update(
                    acting_user=request.user,
                    field=field,
                    name=form.cleaned_data["name"],
                    order=form.cleaned_data["order"],
                ),
                _("Đã lưu lĩnh vực."),
            )
        else:
            form = add_form = FieldAddForm(request.POST, prefix="add")
            saved = submit_form(
                request,
                form,
                lambda: services.field_create(
                    acting_user=request.user,
                    programme=programme,
                    name=form.cleaned_data["name"],
                    order=form.cleaned_data["order"],
                ),
                _("Đã thêm lĩnh vực."),
            )
        if saved is not None:
            return redirect("programmes:setup-fields", code=programme.code)
    rows = [(f, edit_forms[f.pk]) for f in fields]
    return _page(request, "programmes/setup/fields.html", programme, 2, rows=rows, add_form=add_form)


# --- step 3: indicators -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def setup_indicators(request: HttpRequest, code: str) -> HttpResponse:
    programme = _managed(request, code)
    user = request.user
    indicators = list(Indicator.objects.restrict(user, "view").filter(programme=programme).select_related("field"))
    add_form = IndicatorAddForm(user=user, programme=programme, prefix="add")
    edit_forms = {
        i.pk: IndicatorEditForm(initial={"name": i.name, "unit_of_measure": i.unit_of_measure}, prefix=f"i{i.pk}")
        for i in indicators
    }
    form: forms.Form
    if request.method == "POST":
        chosen = request.POST.get("indicator", "")
        if chosen:
            indicator = next((i for i in indicators if str(i.pk) == chosen), None)
            if indicator is None:
                raise Http404
            form = edit_forms[indicator.pk] = IndicatorEditForm(request.POST, prefix=f"i{indicator.pk}")
            saved = submit_form(
                request,
                form,
                lambda: services.indicator_update(acting_user=user, indicator=indicator, data=dict(form.cleaned_data)),
                _("Đã lưu chỉ tiêu."),
            )
        else:
            form = add_form = IndicatorAddForm(request.POST, user=user, programme=programme, prefix="add")

            def add() -> Indicator:
                data = form.cleaned_data
                field = data["field"]
                order = max((i.order for i in indicators if i.field_id == field.pk), default=0) + 1
                return services.indicator_create(
                    acting_user=user,
                    programme=programme,
                    field=field,
                    code=data["code"] or services.suggest_indicator_code(programme, data["name"]),
                    name=data["name"],
                    unit_of_measure=data["unit_of_measure"],
                    aggregation=data["aggregation"],
                    order=order,
                )

            saved = submit_form(request, form, add, _("Đã thêm chỉ tiêu."))
        if saved is not None:
            return redirect("programmes:setup-indicators", code=programme.code)
    fields = list(programme.fields.order_by("order", "code"))
    groups = [(field, [(i, edit_forms[i.pk]) for i in indicators if i.field_id == field.pk]) for field in fields]
    return _page(request, "programmes/setup/indicators.html", programme, 3, groups=groups, add_form=add_form)


# --- step 4: phases -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def setup_phases(request: HttpRequest, code: str) -> HttpResponse:
    programme = _managed(request, code)
    form = PhaseAddForm(request.POST or None)

    def add() -> Phase:
        data = form.cleaned_data
        start, end = data["start"], data["end"]
        return services.phase_create(
            acting_user=request.user,
            programme=programme,
            code=data["code"].strip() or services.suggest_phase_code(programme, start, end),
            name=data["name"].strip() or f"{start.year}–{end.year}",
            start=start,
            end=end,
            status=data["status"],
        )

    if submit_form(request, form, add, _("Đã thêm giai đoạn.")) is not None:
        return redirect("programmes:setup-phases", code=programme.code)
    phases = list(Phase.objects.restrict(request.user, "view").filter(programme=programme).order_by("start"))
    return _page(request, "programmes/setup/phases.html", programme, 4, phases=phases, form=form)


# --- step 5: targets per unit -------------------------------------------------------------------


@login_required
@require_GET
def setup_targets(request: HttpRequest, code: str) -> HttpResponse:
    programme = _managed(request, code)
    phases = list(Phase.objects.restrict(request.user, "view").filter(programme=programme).order_by("start"))
    wanted = request.GET.get("phase", "")
    phase = next((p for p in phases if p.code == wanted), None)
    if phase is None:
        # The phase being run, else the one being prepared, else the last one.
        phase = next((p for p in phases if p.status == "active"), None) or next(
            (p for p in phases if p.status in ("draft", "signed")), phases[-1] if phases else None
        )
    context: dict[str, Any] = {"phases": phases, "phase": phase}
    if phase is not None:
        form = TargetForm(user=request.user, phase=phase)
        context.update(
            target_form=form,
            may_set=form.fields["unit"].queryset.exists(),  # type: ignore[attr-defined]
            has_indicators=form.fields["indicator"].queryset.exists(),  # type: ignore[attr-defined]
            targets=selectors.target_list(user=request.user, phase=phase)[:500],
            back=f"{reverse('programmes:setup-targets', kwargs={'code': programme.code})}?phase={phase.code}",
        )
    return _page(request, "programmes/setup/targets.html", programme, 5, **context)


# --- step 6: signing ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def setup_signing(request: HttpRequest, code: str) -> HttpResponse:
    from django.utils import timezone

    from phoihop.orgunits.models import OrgUnit
    from phoihop.reporting.models import Signatory
    from phoihop.reporting.services import signatory_add

    programme = _managed(request, code)
    user = request.user
    phases = list(Phase.objects.restrict(user, "view").filter(programme=programme).order_by("start"))
    rows = [(p, selectors.signing_for(user=user, phase=p)) for p in phases]
    back = reverse("programmes:setup-signing", kwargs={"code": programme.code})
    # The parties' units and who signs for each today (reporting.Signatory, ADR 0019).
    party_units = [party.representative_unit for party in programme.parties.select_related("representative_unit")]
    today = timezone.localdate()
    signatories = Signatory.objects.restrict(user, "view").valid_on(today).filter(unit__in=party_units)
    bodies = [(unit, [s for s in signatories if s.unit_id == unit.pk]) for unit in party_units]
    managed = OrgUnit.objects.restrict(user, "manage").filter(pk__in=[u.pk for u in party_units])
    form = PartySignatoryForm(request.POST or None, units=managed, initial={"valid_from": today})

    def add() -> Any:
        data = dict(form.cleaned_data)
        return signatory_add(acting_user=user, unit=data.pop("unit"), data=data)

    if submit_form(request, form, add, _("Đã thêm người ký.")) is not None:
        return redirect("programmes:setup-signing", code=programme.code)
    return _page(
        request,
        "programmes/setup/signing.html",
        programme,
        6,
        rows=rows,
        back=back,
        bodies=bodies,
        form=form,
        may_add=managed.exists(),
    )


# --- what is still missing ------------------------------------------------------------------------


def setup_gaps(user: Any, programme: Programme) -> list[dict[str, str]]:
    """What the programme still lacks to be worked with, each with the step that adds it."""

    def step(route: str) -> str:
        return reverse(route, kwargs={"code": programme.code})

    gaps = []
    fields = list(programme.fields.all())
    indicators = list(programme.indicators.all())
    phases = list(programme.phases.all())
    if not fields:
        gaps.append({"text": _("Chưa có lĩnh vực phối hợp nào."), "url": step("programmes:setup-fields")})
    if not indicators:
        gaps.append({"text": _("Chưa có chỉ tiêu nào."), "url": step("programmes:setup-indicators")})
    else:
        empty = [f.name for f in fields if not any(i.field_id == f.pk for i in indicators)]
        if empty:
            gaps.append(
                {
                    "text": _("Lĩnh vực chưa có chỉ tiêu: %(fields)s.") % {"fields": "; ".join(empty)},
                    "url": step("programmes:setup-indicators"),
                }
            )
    if not phases:
        gaps.append({"text": _("Chưa có giai đoạn nào."), "url": step("programmes:setup-phases")})
    else:
        from phoihop.programmes.models import Signing, Target

        with_targets = set(
            Target.objects.restrict(user, "view").filter(phase__in=phases).values_list("phase_id", flat=True)
        )
        current = [p for p in phases if p.status != "closed"]
        if indicators and current and not any(p.pk in with_targets for p in current):
            gaps.append({"text": _("Chưa giao chỉ tiêu cho đơn vị nào."), "url": step("programmes:setup-targets")})
        signed = set(Signing.objects.restrict(user, "view").filter(phase__in=phases).values_list("phase_id", flat=True))
        unsigned = [p.name for p in phases if p.pk not in signed]
        if unsigned:
            gaps.append(
                {
                    "text": _("Giai đoạn chưa có thông tin ký kết: %(phases)s.") % {"phases": "; ".join(unsigned)},
                    "url": step("programmes:setup-signing"),
                }
            )
    return gaps
