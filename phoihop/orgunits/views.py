"""Pages for the unit tree, a unit, and people."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.audit.access import exports_naming
from phoihop.audit.trail import log_events, trail_for
from phoihop.core.forms import submit_form
from phoihop.core.permissions import perms
from phoihop.orgunits import pickers, privacy, selectors, services
from phoihop.orgunits.forms import (
    AnonymiseForm,
    LevelFormSet,
    NewUnitForm,
    OrganisationForm,
    PairEndForm,
    PairForm,
    PersonForm,
    UnitCloseForm,
    UnitForm,
    UnitMergeForm,
    UnitRenameForm,
    levels_below,
    levels_of,
)
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, OrgUnitPair, Person, UnitName
from phoihop.orgunits.tree_nodes import unit_nodes


def _unit_or_404(request: HttpRequest, pk: int, action: str = "view") -> OrgUnit:
    try:
        return selectors.unit_get(user=request.user, pk=pk, action=action)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc


def _person_or_404(request: HttpRequest, pk: int, action: str = "view") -> Person:
    try:
        return selectors.person_get(user=request.user, pk=pk, action=action)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


def _breadcrumb_context(request: HttpRequest, unit: OrgUnit) -> dict:
    ancestors = list(selectors.unit_ancestors(unit=unit))
    visible = set(
        OrgUnit.objects.restrict(request.user, "view")
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    return {"ancestors": ancestors, "visible_ancestor_ids": visible}


def _children_context(open_units: list[Any], closed: list[Any]) -> dict:
    return {
        "children": open_units,
        "closed": closed,
        "children_html": unit_nodes(open_units),
        "closed_html": unit_nodes(closed),
    }


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = selectors.unit_roots_for(user=request.user)
    context: dict[str, Any] = {"roots": roots, "roots_html": unit_nodes(roots)}
    if perms(request.user).for_(Organisation()).can("create"):
        context["organisations"] = Organisation.objects.restrict(request.user, "view").order_by("code")
    return render(request, "orgunits/tree.html", context)


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    open_units, closed = selectors.unit_children(user=request.user, unit=unit)
    return render(request, "orgunits/_children.html", {"unit": unit, **_children_context(open_units, closed)})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    user = request.user
    may = perms(user)
    # The units above (names and codes, links to those the user may read) and the pairs' other
    # units (shown only when readable): which are readable is asked with the children's query.
    ancestors = selectors.unit_ancestor_names(unit=unit)
    pairs = selectors.unit_pairs(unit)
    around = selectors.unit_surroundings(
        user=user,
        unit=unit,
        readable_paths=[a.path for a in ancestors],
        readable_ids={other.pk for _pair, other in pairs},
    )
    context = {
        "unit": unit,
        **_children_context(around.children, around.closed),
        "people": selectors.unit_people(user=user, unit=unit),
        "counterparts": [(pair, other) for pair, other in pairs if other.pk in around.readable],
        "predecessors": around.predecessors,
        "can_manage": may.for_(unit).can("manage"),
        "can_add_below": levels_below(unit).exists() and not unit.is_closed,
        # The unit's own changes, and what was done at once to its figures (locks approving them).
        "trail": trail_for(unit, unit_logs=may.reaches(unit)),
        "ancestors": ancestors,
        "visible_ancestor_ids": {a.pk for a in ancestors if a.pk in around.readable},
    }
    return render(request, "orgunits/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    perms(request.user).for_(unit).within_scope("manage")
    form = UnitForm(request.POST or None, instance=OrgUnit.objects.restrict(request.user, "manage").get(pk=unit.pk))
    data = lambda: {k: form.cleaned_data[k] for k in UnitForm.Meta.fields}  # noqa: E731
    save = lambda: services.unit_update(  # noqa: E731
        unit=unit, acting_user=request.user, data=data(), expected_version=form.expected_version
    )
    if submit_form(request, form, save, _("Đã lưu thông tin đơn vị.")) is not None:
        return redirect("orgunits:unit", pk=unit.pk)
    return render(
        request, "orgunits/unit_form.html", {"unit": unit, "form": form, **_breadcrumb_context(request, unit)}
    )


def _unit_page(request: HttpRequest, unit: OrgUnit, crumb: str, **context: Any) -> dict[str, Any]:
    return {"unit": unit, "crumb": crumb, **_breadcrumb_context(request, unit), **context}


@login_required
@require_http_methods(["GET", "POST"])
def unit_close(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Đóng / sáp nhập / chia tách": close a unit with no successor, one, or several (a split);
    the one home of the rule is ``services.unit_close_into``."""
    unit = _unit_or_404(request, pk)
    perms(request.user).for_(unit).within_scope("manage")
    form = UnitCloseForm(request.POST or None, user=request.user, unit=unit)

    def save() -> tuple[OrgUnit, list[OrgUnit]]:
        data = form.cleaned_data
        return services.unit_close_into(
            unit=unit,
            acting_user=request.user,
            valid_to=data["valid_to"],
            successors=data["successors"],
            kind=data["succession_kind"] if data["successors"] else "",
        )

    done = submit_form(request, form, save, _("Đã đóng đơn vị."))
    if done is not None:
        _closed, others = done
        if others:
            messages.info(
                request,
                _(
                    "Chia tách: %(first)s nhận số liệu của đơn vị trong cây hiện nay; %(others)s được ghi vào lịch "
                    "sử của đơn vị."
                )
                % {"first": _closed.successor.name, "others": ", ".join(u.name for u in others)},
            )
        return redirect("orgunits:unit", pk=unit.pk)
    return render(
        request, "orgunits/unit_close.html", _unit_page(request, unit, _("Đóng, sáp nhập, chia tách"), form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Sáp nhập đơn vị vào đơn vị này": close each chosen unit into this one."""
    unit = _unit_or_404(request, pk)
    perms(request.user).for_(unit).within_scope("manage")
    form = UnitMergeForm(request.POST or None, user=request.user, unit=unit)
    save = lambda: services.units_merge_into(  # noqa: E731
        successor=unit,
        units=form.cleaned_data["units"],
        acting_user=request.user,
        valid_to=form.cleaned_data["valid_to"],
        kind=form.cleaned_data["succession_kind"],
    )
    if submit_form(request, form, save, _("Đã sáp nhập các đơn vị vào đơn vị này.")) is not None:
        return redirect("orgunits:unit", pk=unit.pk)
    return render(request, "orgunits/unit_merge.html", _unit_page(request, unit, _("Sáp nhập đơn vị vào"), form=form))


@login_required
@require_http_methods(["GET", "POST"])
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Thêm đơn vị trực thuộc": a unit below this one (``services.unit_create``)."""
    parent = _unit_or_404(request, pk)
    perms(request.user).for_(parent).within_scope("manage")
    levels = levels_below(parent)
    form = NewUnitForm(request.POST or None, levels=levels)
    save = lambda: services.unit_create(parent=parent, acting_user=request.user, **form.unit_data())  # noqa: E731
    created = submit_form(request, form, save, _("Đã thêm đơn vị trực thuộc."))
    if created is not None:
        return redirect("orgunits:unit", pk=created.pk)
    context = _unit_page(request, parent, _("Thêm đơn vị trực thuộc"), form=form, no_levels=not levels.exists())
    return render(request, "orgunits/unit_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Đổi tên": a dated renaming; documents of the time keep the old name (``services.rename_unit``)."""
    unit = _unit_or_404(request, pk)
    perms(request.user).for_(unit).within_scope("manage")
    form = UnitRenameForm(request.POST or None, unit=unit)
    save = lambda: services.rename_unit(  # noqa: E731
        unit=unit,
        new_name=form.cleaned_data["name"],
        new_short_name=form.cleaned_data["short_name"],
        effective=form.cleaned_data["effective"],
        acting_user=request.user,
    )
    if submit_form(request, form, save, _("Đã đổi tên đơn vị; văn bản trước ngày đổi tên vẫn ghi tên cũ.")):
        return redirect("orgunits:unit", pk=unit.pk)
    names = UnitName.objects.restrict(request.user, "view").filter(unit=unit).order_by("-valid_from")
    return render(request, "orgunits/unit_rename.html", _unit_page(request, unit, _("Đổi tên"), form=form, names=names))


@login_required
@require_http_methods(["GET", "POST"])
def unit_pairs(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Ghép cặp đơn vị tương ứng": the unit's counterpart pairs, a new pair, the end of a pair."""
    unit = _unit_or_404(request, pk)
    perms(request.user).for_(unit).within_scope("manage")
    form = PairForm(request.POST or None, user=request.user, unit=unit)
    save = lambda: services.pair_create(  # noqa: E731
        unit_a=unit,
        unit_b=form.cleaned_data["unit_b"],
        acting_user=request.user,
        valid_from=form.cleaned_data["valid_from"],
        note=form.cleaned_data["note"],
    )
    if submit_form(request, form, save, _("Đã ghép cặp đơn vị tương ứng.")) is not None:
        return redirect("orgunits:unit-pairs", pk=unit.pk)
    readable = perms(request.user).readable
    pairs = [(pair, other, other.pk in readable([other.pk])) for pair, other in selectors.unit_pairs(unit)]
    context = _unit_page(request, unit, _("Ghép cặp đơn vị tương ứng"), form=form, pairs=pairs, end_form=PairEndForm())
    return render(request, "orgunits/unit_pairs.html", context)


@login_required
@require_POST
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a pair (``services.pair_end``), from the pairs page of the unit it came from."""
    try:
        pair = OrgUnitPair.objects.restrict(request.user, "view").select_related("unit_a", "unit_b").get(pk=pk)
    except OrgUnitPair.DoesNotExist as exc:
        raise Http404 from exc
    perms(request.user).for_(pair).within_scope("manage")
    may = perms(request.user)
    home = pair.unit_a if may.reaches(pair.unit_a, "manage") else pair.unit_b
    form = PairEndForm(request.POST)
    save = lambda: services.pair_end(pair=pair, acting_user=request.user, valid_to=form.cleaned_data["valid_to"])  # noqa: E731
    if submit_form(request, form, save, _("Đã kết thúc ghép cặp.")) is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("orgunits:unit-pairs", pk=home.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    """ "Tạo tổ chức": a system administrator creates an organisation with its levels, highest first."""
    perms(request.user).for_(Organisation()).within_scope("create")
    form = OrganisationForm(request.POST or None)
    levels = LevelFormSet(request.POST or None, prefix="levels")
    bound = request.method == "POST"

    def save() -> Organisation:
        return services.organisation_create(
            acting_user=request.user,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            short_name=form.cleaned_data["short_name"],
            levels=levels_of(levels),
        )

    levels_valid = levels.is_valid() if bound else False
    if bound and not levels_valid:
        form.is_valid()  # show the organisation's own errors too
    elif bound:
        organisation = submit_form(request, form, save, _("Đã tạo tổ chức. Hãy tạo đơn vị cao nhất của tổ chức."))
        if organisation is not None:
            return redirect("orgunits:organisation-root", code=organisation.code)
    return render(request, "orgunits/organisation_form.html", {"form": form, "levels": levels})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_root(request: HttpRequest, code: str) -> HttpResponse:
    """The unit at the top of an organisation's tree (``services.unit_create_root``): system
    administrators; the organisation's levels and units so far are shown beside the form."""
    try:
        organisation = Organisation.objects.restrict(request.user, "view").get(code=code)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    perms(request.user).for_(organisation).within_scope("add_root")
    levels = OrgUnitLevel.objects.filter(organisation=organisation, closed=False).order_by("rank")
    form = NewUnitForm(request.POST or None, levels=levels)
    save = lambda: services.unit_create_root(  # noqa: E731
        organisation=organisation, acting_user=request.user, **form.unit_data()
    )
    created = submit_form(request, form, save, _("Đã tạo đơn vị cao nhất của tổ chức."))
    if created is not None:
        return redirect("orgunits:unit", pk=created.pk)
    roots = OrgUnit.objects.restrict(request.user, "view").filter(organisation=organisation, depth=1)
    context = {"organisation": organisation, "form": form, "levels": levels, "roots": roots}
    return render(request, "orgunits/organisation_root.html", context)


PICKER_LIMIT = 20
UNIT_ACTIONS = ("view", "change", "approve", "manage")


def _picker_action(request: HttpRequest, allowed: tuple[str, ...]) -> str:
    action = request.GET.get("action", "view")
    return action if action in allowed else "view"


@login_required
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Units in scope for ``action`` matching ``q`` (without diacritics), for pickers
    (core/widgets.py): at most 20, provinces before communes. Without ``q``, the first units of
    the user's scope. Filters as in the units' list (``organisation``, ``level``, ``parent``,
    ``active``), ``open=1`` for units not closed today, ``max_depth`` for the upper levels only, ``other_than``
    (an organisation's code) for the units of the other organisations."""
    action = _picker_action(request, UNIT_ACTIONS)
    filters = {k: request.GET[k] for k in ("q", "organisation", "level", "parent", "active") if request.GET.get(k)}
    qs = selectors.unit_list(user=request.user, filters=filters, action=action)
    if request.GET.get("open"):
        qs = qs.active_on(timezone.localdate())  # type: ignore[attr-defined]
    if request.GET.get("other_than"):  # counterparts: units of the other organisations
        qs = qs.exclude(organisation__code=request.GET["other_than"])
    if request.GET.get("max_depth", "").isdigit():
        qs = qs.filter(depth__lte=int(request.GET["max_depth"]))
    units = qs.select_related(*pickers.UNIT_RELATED).order_by("depth", "path")[:PICKER_LIMIT]
    return JsonResponse({"results": pickers.unit_results(units)})


@login_required
def person_autocomplete(request: HttpRequest) -> JsonResponse:
    """People the user may see (``action`` view or change) matching ``q`` (without diacritics),
    at most 20, in Vietnamese order; ``unit`` (a code) narrows to that unit and the units below."""
    action = _picker_action(request, ("view", "change"))
    filters = {k: request.GET[k] for k in ("q", "unit") if request.GET.get(k)}
    qs = selectors.person_list(user=request.user, filters=filters, action=action)
    people = qs.select_related(*pickers.PERSON_RELATED)[:PICKER_LIMIT]
    return JsonResponse({"results": pickers.person_results(people)})


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.person_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    is_htmx = bool(getattr(request, "htmx", False))
    template = "orgunits/_person_rows.html" if is_htmx else "orgunits/person_list.html"
    can_create = perms(request.user).has_units("change")
    return render(request, template, {"page": page, "q": request.GET.get("q", ""), "can_create": can_create})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    may = perms(request.user).for_(person)
    can_change = may.can("change")
    # A public figure outside the user's subtree shows only name, rank, positions and unit.
    full_view = may.can("read-private")
    trail = trail_for(person) if full_view else []
    context = {
        "person": person,
        "can_change": can_change,
        "trail": trail,
        "full_view": full_view,
        "can_see_personal_data": full_view and may.can("see-personal-data"),
    }

    return render(request, "orgunits/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    save = lambda: services.person_create(  # noqa: E731
        acting_user=request.user, data=form.person_data(), public_reason=form.public_reason
    )
    person = submit_form(request, form, save, _("Đã thêm người mới."))
    if person is not None:
        return redirect("orgunits:person", pk=person.pk)
    return render(request, "orgunits/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    perms(request.user).for_(person).within_scope("change")
    form = PersonForm(
        request.POST or None, instance=Person.objects.restrict(request.user, "change").get(pk=pk), user=request.user
    )

    save = lambda: services.person_update(  # noqa: E731
        person=person,
        acting_user=request.user,
        data=form.person_data(),
        public_reason=form.public_reason,
        expected_version=form.expected_version,
    )
    if submit_form(request, form, save, _("Đã lưu thông tin.")) is not None:
        return redirect("orgunits:person", pk=pk)
    return render(request, "orgunits/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_data(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Dữ liệu cá nhân" page: everything held about the person, for their administrator to show or
    print for them (Law 91/2025/QH15), and anonymisation where no retention rule forbids it."""
    person = _person_or_404(request, pk, action="manage")
    perms(request.user).for_(person).require("see-personal-data")
    anonymise = perms(request.user).for_(person).check("anonymise")
    form = AnonymiseForm(request.POST or None)
    save = lambda: services.person_anonymise(  # noqa: E731
        person=person, acting_user=request.user, reason=form.cleaned_data["reason"]
    )
    if submit_form(request, form, save, _("Đã ẩn danh hoá dữ liệu cá nhân của người này.")) is not None:
        return redirect("orgunits:person-data", pk=pk)
    context = {
        "person": person,
        "held": privacy.held_about(person),
        "trail": trail_for(person, limit=1000),
        "exports": log_events(exports_naming(person.pk)),
        "anonymise": anonymise,
        "form": form,
    }
    return render(request, "orgunits/person_data.html", context)
