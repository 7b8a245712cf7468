"""Activities with their values: the kind that must be fast (≥ 2,000 rows/s with 3 values each,
roll-ups included, on SQLite and PostgreSQL; docs/adr/0021-imports.md).

The rules are the services' (``activities.services.check_activity``, ``check_partners``,
``require_content``; the model's ``clean``; ``entry.services`` for locks), applied to unsaved
objects with everything they need read once: the phases and indicators of the programme, the
units named in the file (``UnitResolver``, through the gate), the areas, the active locks, the
activities already imported under the same ids. Then the writes go in bulk with their history
rows, and the roll-ups take one sorted upsert per key for the whole run (``figures.upkeep``).

An imported activity is sent (counted) when its end date has come, a plan otherwise, as the
API's ``submit`` makes it. A row that changes an activity already sent updates it and sends it
again (the import does what withdrawing, editing and sending would do); an approved activity is
refused, as the edit page refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from phoihop.activities.models import Activity, ActivityPartner, ActivityStatus
from phoihop.activities.services import (
    VALUE_FIELDS,
    check_activity,
    check_partners,
    require_content,
)
from phoihop.core.gate import INTEGRITY, PROGRAMME_DATA, REREAD
from phoihop.core.permissions import perms
from phoihop.core.services import OutOfScope, change_reason, stamp
from phoihop.entry.models import MAX_VALUE, IndicatorValue
from phoihop.entry.services import active_locks, lock_covering, locked_refusal
from phoihop.figures.plausibility import PlausibilityError
from phoihop.figures.upkeep import Upserts, deltas_between, lock_units, rollup_targets
from phoihop.imports.bulk import Writer
from phoihop.imports.kinds.base import Column, ImportContext, ImportKind, RowProblem
from phoihop.imports.kinds.common import PK_REF, cell_text, date_cell, int_cell, phase_codes, text_cell, unit_codes
from phoihop.imports.resolve import UnitResolver, Unresolved
from phoihop.orgunits.models import AdminArea, OrgUnit
from phoihop.programmes.models import Indicator, Phase
from phoihop.programmes.selectors import party_roots

ACTION = "activity.import"
BATCH = 1000
CHUNK = 2000

# The activity's own fields an import sets (compared to find what a row changes).
FIELDS = (
    "title",
    "start_date",
    "end_date",
    "area_id",
    "place",
    "lead_unit_id",
    "participants_lead",
    "participants_partner",
    "description",
)
MAX_COUNT = 2**31 - 1  # a PositiveIntegerField's largest value


def indicators_of(programme: Any) -> list[Indicator]:
    return list(
        Indicator.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme=programme)
        .select_related("introduced_in", "retired_in")
        .order_by("field__order", "order", "code")
    )


def columns(programme: Any) -> list[Column]:
    fixed = [
        Column(
            "external_id",
            gettext_lazy("Mã hoạt động"),
            True,
            gettext_lazy(
                "Mã riêng của hoạt động trong tệp của đơn vị (ví dụ HN-2024-001). Nhập lại tệp thì hoạt động "
                "có cùng mã được cập nhật, không tạo thêm."
            ),
            "HN-2024-001",
        ),
        Column(
            "phase",
            gettext_lazy("Giai đoạn"),
            True,
            gettext_lazy("Mã giai đoạn của chương trình, ví dụ 2022-2027."),
            "2022-2027",
            phase_codes,
        ),
        Column("title", gettext_lazy("Tên hoạt động"), True, gettext_lazy("Tối đa 500 ký tự."), "Tọa đàm kỷ niệm"),
        Column(
            "start_date", gettext_lazy("Từ ngày"), True, gettext_lazy("Ngày/tháng/năm, ví dụ 23/9/2024."), "20/9/2024"
        ),
        Column(
            "end_date",
            gettext_lazy("Đến ngày"),
            True,
            gettext_lazy(
                "Ngày/tháng/năm, trong giai đoạn. Số liệu được tính vào ngày này; hoạt động chưa đến ngày này "
                "được nhập dưới dạng kế hoạch."
            ),
            "23/9/2024",
        ),
        Column(
            "lead_unit",
            gettext_lazy("Đơn vị chủ trì"),
            True,
            gettext_lazy(
                "Mã đơn vị, hoặc đúng tên đơn vị (có hoặc không dấu), trong phạm vi của bạn. Tên trùng với "
                "nhiều đơn vị thì phải ghi mã."
            ),
            "CCB-HANOI",
            unit_codes,
        ),
        Column(
            "partners",
            gettext_lazy("Đơn vị phối hợp"),
            False,
            gettext_lazy("Mã hoặc tên các đơn vị phối hợp, cách nhau bằng dấu chấm phẩy (;)."),
            "QS-HANOI",
        ),
        Column(
            "area",
            gettext_lazy("Địa bàn"),
            False,
            gettext_lazy("Mã xã, phường, đặc khu trong danh mục hành chính (không bắt buộc)."),
        ),
        Column("place", gettext_lazy("Địa điểm"), False, gettext_lazy("Địa điểm cụ thể (không bắt buộc).")),
        Column(
            "participants_lead",
            gettext_lazy("Người tham gia bên chủ trì"),
            False,
            gettext_lazy("Số nguyên, không âm; để trống là 0."),
            50,
        ),
        Column(
            "participants_partner",
            gettext_lazy("Người tham gia bên phối hợp"),
            False,
            gettext_lazy("Số nguyên, không âm; có số này thì phải có đơn vị phối hợp."),
            30,
        ),
        Column("description", gettext_lazy("Nội dung, kết quả"), False, gettext_lazy("Không bắt buộc."), ""),
    ]
    if programme is None:
        return fixed
    taken = {c.key for c in fixed}
    return fixed + [
        Column(
            i.code,
            i.name,
            False,
            _("Chỉ tiêu “%(name)s” (%(uom)s): số nguyên, không âm; để trống nếu không có.")
            % {"name": i.name, "uom": i.unit_of_measure},
            "",
        )
        for i in indicators_of(programme)
        if i.code not in taken
    ]


def export_rows(user: Any, programme: Any) -> Iterable[dict[str, Any]]:
    """The activities of ``programme`` the user records (led in their subtree: those an import
    of theirs may change), in the import's columns; one without an id of its own is named
    "#<its number>", which the import finds again."""
    indicators = {i.pk: i.code for i in indicators_of(programme)}
    activities = (
        Activity.objects.restrict(user, "change")
        .filter(phase__programme=programme)
        .select_related("phase", "lead_unit", "area")
        .order_by("pk")
    )
    for chunk in _chunks(list(activities), CHUNK):
        ids = [a.pk for a in chunk]
        partners: dict[int, list[str]] = {}
        links = (
            ActivityPartner.objects.filter(activity_id__in=ids).order_by("pk").values_list("activity_id", "unit__code")
        )
        for activity_id, code in links:
            partners.setdefault(activity_id, []).append(code)
        values: dict[int, dict[str, int]] = {}
        rows = IndicatorValue.objects.unrestricted(INTEGRITY).filter(activity_id__in=ids)
        for activity_id, indicator_id, value in rows.values_list("activity_id", "indicator_id", "value"):
            if indicator_id in indicators:
                values.setdefault(activity_id, {})[indicators[indicator_id]] = value
        for a in chunk:
            yield {
                "external_id": a.external_id or f"#{a.pk}",
                "phase": a.phase.code,
                "title": a.title,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "lead_unit": a.lead_unit.code,
                "partners": "; ".join(partners.get(a.pk, [])),
                "area": a.area.code if a.area else "",
                "place": a.place,
                "participants_lead": a.participants_lead,
                "participants_partner": a.participants_partner,
                "description": a.description,
                **values.get(a.pk, {}),
            }


_ACTIVITY_DEFAULTS: dict[str, Any] = {}


def new_activity(values: dict[str, Any], related: dict[str, Any]) -> Activity:
    """An unsaved activity made without ``Model.__init__`` (its signals, each field's descriptor):
    20,000 rows made that way took a fifth of an import. Every field holds its default or
    ``values``' value; the related objects ``related`` names are its cached relations, as
    ``Activity(phase=phase, ...)`` would hold them."""
    if not _ACTIVITY_DEFAULTS:
        _ACTIVITY_DEFAULTS.update(
            {f.attname: f.get_default() for f in Activity._meta.concrete_fields if not f.primary_key}
        )
        _ACTIVITY_DEFAULTS["id"] = None
    activity = Activity.__new__(Activity)
    activity.__dict__.update(_ACTIVITY_DEFAULTS)
    activity.__dict__.update(values)
    activity._state = ModelState()
    activity._state.fields_cache.update(related)
    return activity


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass
class Row:
    """One checked row: the activity as the file wants it."""

    number: int
    external_id: str
    phase: Phase
    lead: OrgUnit
    activity: Activity  # unsaved, or the existing one once matched
    partners: list[OrgUnit]
    values: dict[Indicator, int]
    existing: dict[str, Any] | None = None  # the stored state of the activity with this id
    changes: bool = True
    old_partners: set[int] = field(default_factory=set)
    old_values: dict[int, int] = field(default_factory=dict)  # indicator id -> value
    deferred: list[tuple[str, str, Any]] = field(default_factory=list)  # (column, message, value)


class ActivityImport:
    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.user = ctx.acting_user
        self.programme = ctx.programme
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.phases = {p.code: p for p in Phase.objects.unrestricted(PROGRAMME_DATA).filter(programme=self.programme)}
        indicators = indicators_of(self.programme)
        self.indicator_columns = [i for i in indicators if i.code in ctx.headers]
        self.roots = party_roots(self.programme.pk)
        self.resolver = UnitResolver(self.user)
        self.perms = perms(self.user)
        self.locks = active_locks(self.programme.pk)
        self.reason = change_reason(ACTION)

    # --- reading and checking --------------------------------------------------------------------

    def run(self) -> None:
        ctx = self.ctx
        texts: list[Any] = []
        area_codes: set[str] = set()
        for _n, data in ctx.rows:
            texts.append(data.get("lead_unit"))
            try:
                data["partners"] = _split(data.get("partners"))  # split once; a list from here on
                texts.extend(data["partners"])
            except RowProblem:
                pass
            if cell_text(data.get("area")):
                area_codes.add(cell_text(data.get("area")))
        self.resolver.load(texts)
        self.areas = {a.code: a for a in AdminArea.objects.restrict(self.user, "view").filter(code__in=area_codes)}
        ctx.report(10)
        rows: list[Row] = []
        seen: dict[tuple[str, str], int] = {}
        total = len(ctx.rows) or 1
        for i, (number, data) in enumerate(ctx.rows):
            row = self.check_row(number, data, seen)
            if row is not None:
                rows.append(row)
            if i % 2000 == 1999:
                ctx.report(10 + 40 * i // total)
        self.match_existing(rows)
        ctx.report(60)
        if ctx.errors or ctx.dry_run:
            self.count(rows)
            return
        self.write(rows)
        ctx.report(100)

    def check_row(self, number: int, data: dict[str, Any], seen: dict[tuple[str, str], int]) -> Row | None:
        ctx = self.ctx
        bad = False

        def problem(column: str, message: Any, value: Any = None) -> None:
            nonlocal bad
            bad = True
            ctx.problem(number, data, RowProblem(column, str(message), value))

        def attempt(fn: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except RowProblem as p:
                problem(p.column, p.message, p.value)
                return None

        external_id = attempt(text_cell, data, "external_id", required=True, max_length=100)
        phase_code = cell_text(data.get("phase"))
        phase = self.phases.get(phase_code)
        if not phase_code:
            problem("phase", _("Hãy ghi mã giai đoạn."))
        elif phase is None:
            problem(
                "phase",
                _("Chương trình không có giai đoạn mã “%(code)s”; các giai đoạn: %(codes)s.")
                % {"code": phase_code, "codes": ", ".join(sorted(self.phases))},
            )
        if external_id and phase is not None:
            earlier = seen.get((phase.code, external_id))
            if earlier is not None:
                problem("external_id", _("Mã hoạt động này đã có ở dòng %(row)s của tệp.") % {"row": earlier})
            else:
                seen[(phase.code, external_id)] = number
        title = attempt(text_cell, data, "title", required=True, max_length=500)
        start = attempt(date_cell, data, "start_date", required=True)
        end = attempt(date_cell, data, "end_date", required=True)
        lead = None
        if cell_text(data.get("lead_unit")):
            try:
                lead = self.resolver.resolve(data.get("lead_unit"))
            except Unresolved as e:
                problem("lead_unit", e)
        else:
            problem("lead_unit", _("Hãy ghi đơn vị chủ trì."))
        partners: list[OrgUnit] = []
        for text in attempt(_split, data.get("partners")) or []:
            try:
                unit = self.resolver.resolve(text)
            except Unresolved as e:
                problem("partners", e, text)
                continue
            if unit not in partners and (lead is None or unit.pk != lead.pk):
                partners.append(unit)
        area = None
        area_code = cell_text(data.get("area"))
        if area_code:
            area = self.areas.get(area_code)
            if area is None:
                problem("area", _("Không tìm thấy địa bàn có mã “%(code)s”.") % {"code": area_code})
        place = attempt(text_cell, data, "place", max_length=255) or ""
        description = attempt(text_cell, data, "description") or ""
        participants_lead = attempt(int_cell, data, "participants_lead", maximum=MAX_COUNT) or 0
        participants_partner = attempt(int_cell, data, "participants_partner", maximum=MAX_COUNT) or 0
        values: dict[Indicator, int] = {}
        for indicator in self.indicator_columns:
            amount = attempt(int_cell, data, indicator.code, maximum=MAX_VALUE, default=None)
            if amount is not None:
                values[indicator] = amount
        if bad or phase is None or lead is None:
            return None
        activity = new_activity(
            {
                "phase_id": phase.pk,
                "lead_unit_id": lead.pk,
                "title": title,
                "start_date": start,
                "end_date": end,
                "area_id": area.pk if area else None,
                "place": place,
                "participants_lead": participants_lead,
                "participants_partner": participants_partner,
                "description": description,
                "created_by_id": self.user.pk,
                "external_id": external_id,
            },
            {"phase": phase, "lead_unit": lead, "area": area, "created_by": self.user},
        )
        # The rules are checked now, their problems reported once the row is known to change
        # something: a row equal to its activity (an export imported back, an activity of a
        # closed phase or a locked period) changes nothing and needs no permission.
        deferred: list[tuple[str, str, Any]] = []

        def later(column: str, message: Any, value: Any = None) -> None:
            deferred.append((column, str(message), value if value is not None else data.get(column)))

        try:
            check_activity(activity, self.user, has_partners=bool(partners), values=values, roots=self.roots)
            if partners:
                check_partners(activity, partners, {u.pk for u in partners})
            # The fields' own checks (lengths, required, non-negative) are the columns' above.
            activity.clean()
            if activity.end_date <= self.today:
                require_content(bool(values), description)
            lock = lock_covering(self.locks, lead, end, self.programme.pk)
            if lock is not None:
                raise ValidationError({"end_date": locked_refusal(lead, end, lock).messages})
        except OutOfScope:
            later(
                "lead_unit",
                _(
                    "Đơn vị “%(unit)s” không thuộc phạm vi của bạn: chỉ nhập được hoạt động do đơn vị "
                    "trong phạm vi của bạn chủ trì."
                )
                % {"unit": lead.display_name},
            )
        except PlausibilityError as e:
            for finding in e.findings:
                column = finding.indicator.code if finding.indicator is not None else finding.field
                later(column, finding.message, finding.value)
        except ValidationError as e:
            self.validation_problems(later, e)
        return Row(number, external_id, phase, lead, activity, partners, values, deferred=deferred)

    def validation_problems(self, problem: Any, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = name if name in self.ctx.headers or name in FIELDS or name == "partners" else ""
                for message in messages:
                    problem(column, message)
        else:
            for message in error.messages:
                problem("", message)

    def match_existing(self, rows: list[Row]) -> None:
        """Find the activities already imported under the rows' ids (or exported as "#<number>");
        report the problems of the rows that change something (new rows included) and check what
        a changed row may do to its activity (reach, approval, locks)."""
        by_key = {(r.phase.pk, r.external_id): r for r in rows}
        found: dict[tuple[int, str], dict[str, Any]] = {}
        ids = sorted({r.external_id for r in rows if not PK_REF.match(r.external_id)})
        numbers = sorted({int(m.group(1)) for r in rows if (m := PK_REF.match(r.external_id))})
        stored = Activity.objects.unrestricted(INTEGRITY).filter(phase__programme=self.programme)
        if not self.ctx.dry_run:
            stored = stored.select_for_update()
        columns = ("pk", "phase_id", "external_id", "status", "version", "lead_unit__path", *FIELDS)
        for chunk in _chunks(ids, CHUNK):
            for a in stored.filter(external_id__in=chunk).values(*columns):
                found[(a["phase_id"], a["external_id"])] = a
        for chunk in _chunks(numbers, CHUNK):
            for a in stored.filter(pk__in=chunk).values(*columns):
                found[(a["phase_id"], f"#{a['pk']}")] = a
        matched = [r for key, r in by_key.items() if key in found]
        activity_ids = [found[(r.phase.pk, r.external_id)]["pk"] for r in matched]
        partners: dict[int, set[int]] = {}
        values: dict[int, dict[int, Any]] = {}
        for chunk in _chunks(activity_ids, CHUNK):
            links = ActivityPartner.objects.filter(activity_id__in=chunk).values_list("activity_id", "unit_id")
            for activity_id, unit_id in links:
                partners.setdefault(activity_id, set()).add(unit_id)
            amounts = IndicatorValue.objects.unrestricted(INTEGRITY).filter(activity_id__in=chunk)
            for activity_id, indicator_id, amount in amounts.values_list("activity_id", "indicator_id", "value"):
                values.setdefault(activity_id, {})[indicator_id] = amount
        for row in rows:
            old = found.get((row.phase.pk, row.external_id))
            if old is None:
                if PK_REF.match(row.external_id):
                    self.ctx.error(
                        row.number,
                        "external_id",
                        row.external_id,
                        _("Không có hoạt động số %(id)s trong giai đoạn này của chương trình.")
                        % {"id": row.external_id},
                    )
                self.report_deferred(row)
                continue
            row.existing = old
            row.old_partners = partners.get(old["pk"], set())
            row.old_values = values.get(old["pk"], {})
            new = row.activity
            row.changes = (
                any(getattr(new, name) != old[name] for name in FIELDS)
                or {u.pk for u in row.partners} != row.old_partners
                or {i.pk: v for i, v in row.values.items()} != row.old_values
            )
            if row.changes:
                self.report_deferred(row)
                self.check_change(row, old)

    def report_deferred(self, row: Row) -> None:
        for column, message, value in row.deferred:
            self.ctx.error(row.number, column, value if value is not None else "", message)

    def check_change(self, row: Row, old: dict[str, Any]) -> None:
        ctx = self.ctx
        path = old["lead_unit__path"]
        if not self.perms.reaches(path, "change"):
            ctx.error(
                row.number,
                "external_id",
                row.external_id,
                _("Mã hoạt động “%(id)s” đã được dùng trong giai đoạn này cho hoạt động ngoài phạm vi của bạn.")
                % {"id": row.external_id},
            )
            return
        if old["status"] == ActivityStatus.APPROVED:
            ctx.error(
                row.number,
                "external_id",
                row.external_id,
                _("Hoạt động “%(id)s” đã được duyệt; cần cấp trên trả lại trước khi sửa.") % {"id": row.external_id},
            )
            return
        lead = OrgUnit(pk=old["lead_unit_id"], path=path)
        lock = lock_covering(self.locks, lead, old["end_date"], self.programme.pk)
        if lock is not None:
            unit = OrgUnit.objects.unrestricted(INTEGRITY).get(pk=old["lead_unit_id"])
            message = locked_refusal(unit, old["end_date"], lock).messages[0]
            ctx.error(row.number, "end_date", row.activity.end_date, message)

    def count(self, rows: list[Row]) -> None:
        for row in rows:
            if row.existing is None:
                self.ctx.created += 1
            elif row.changes:
                self.ctx.updated += 1
            else:
                self.ctx.unchanged += 1

    # --- writing ------------------------------------------------------------------------------------

    def status_of(self, activity: Activity) -> str:
        return ActivityStatus.PLAN if activity.end_date > self.today else ActivityStatus.SUBMITTED

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        new = [r for r in rows if r.existing is None]
        changed = [r for r in rows if r.existing is not None and r.changes]
        ctx.created, ctx.updated = len(new), len(changed)
        ctx.unchanged = len(rows) - len(new) - len(changed)
        unit_ids = {r.lead.pk for r in new + changed} | {r.existing["lead_unit_id"] for r in changed if r.existing}
        for chunk in _chunks(sorted(unit_ids), CHUNK):
            lock_units(chunk)
        paths = {r.lead.pk: r.lead.path for r in new + changed}
        paths.update({r.existing["lead_unit_id"]: r.existing["lead_unit__path"] for r in changed if r.existing})
        before: dict[tuple[int, int, date], tuple[int, int]] = {}
        after: dict[tuple[int, int, date], tuple[int, int]] = {}

        def add(
            sums: dict[tuple[int, int, date], tuple[int, int]], key: Any, value: int, counted: bool, approved: bool
        ) -> None:
            s, a = sums.get(key, (0, 0))
            sums[key] = (s + (value if counted else 0), a + (value if approved else 0))

        # Changed activities first (through the ORM): the activity row, then partners and values
        # made to follow it; their new partners and values go with the new activities' below.
        link_rows: list[dict[str, Any]] = []
        value_rows: list[dict[str, Any]] = []
        user_id = self.user.id
        updated_activities: list[Activity] = []
        changed_values: list[IndicatorValue] = []
        stored: dict[int, Activity] = {}
        for chunk in _chunks([r.existing["pk"] for r in changed if r.existing], CHUNK):
            stored.update((a.pk, a) for a in Activity.objects.unrestricted(REREAD).filter(pk__in=chunk))
        for r in changed:
            old = r.existing
            assert old is not None
            a = stored[old["pk"]]
            for name in FIELDS:
                setattr(a, name, getattr(r.activity, name))
            r.activity = a
            a.version = old["version"] + 1
            a.status = self.status_of(a)
            a.submitted_at = self.now if a.status == ActivityStatus.SUBMITTED else None
            a.search_text = Activity.build_search_text(a.title, a.place, a.description)
            updated_activities.append(a)
            wanted = {u.pk for u in r.partners}
            for unit_id in sorted(r.old_partners - wanted):
                link = ActivityPartner.objects.get(activity_id=a.pk, unit_id=unit_id)
                stamp(link, acting_user=self.user, action=ACTION)
                link.delete()
            link_rows.extend({"activity_id": a.pk, "unit_id": uid} for uid in sorted(wanted - r.old_partners))
            counted = a.status == ActivityStatus.SUBMITTED
            amounts = {i.pk: v for i, v in r.values.items()}
            stored_values = {
                v.indicator_id: v for v in IndicatorValue.objects.unrestricted(REREAD).filter(activity_id=a.pk)
            }
            for indicator_id, row in stored_values.items():
                add(before, (row.unit_id, indicator_id, row.date), row.value, row.counted, row.approved)
                if indicator_id not in amounts:
                    stamp(row, acting_user=self.user, action=ACTION)
                    row.delete()
                    continue
                row.value, row.unit_id, row.date = amounts[indicator_id], a.lead_unit_id, a.end_date
                row.counted, row.approved = counted, False
                changed_values.append(row)
                add(after, (a.lead_unit_id, indicator_id, a.end_date), row.value, counted, False)
            for indicator_id, amount in amounts.items():
                if indicator_id in stored_values:
                    continue
                value_rows.append(
                    {
                        "activity_id": a.pk,
                        "unit_id": a.lead_unit_id,
                        "indicator_id": indicator_id,
                        "date": a.end_date,
                        "value": amount,
                        "counted": counted,
                        "approved": False,
                        "entered_by_id": self.user.pk,
                    }
                )
                add(after, (a.lead_unit_id, indicator_id, a.end_date), amount, counted, False)
        if updated_activities:
            bulk_update_with_history(
                updated_activities,
                Activity,
                fields=[*(f.removesuffix("_id") for f in FIELDS), "status", "submitted_at", "search_text", "version"],
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=self.reason,
            )
        if changed_values:
            bulk_update_with_history(
                changed_values,
                IndicatorValue,
                fields=VALUE_FIELDS,
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=self.reason,
            )
        # New activities, their partners and values: in bulk, with their history rows.
        activity_rows = []
        for r in new:
            a = r.activity
            a.status = self.status_of(a)
            a.submitted_at = self.now if a.status == ActivityStatus.SUBMITTED else None
            a.search_text = Activity.build_search_text(a.title, a.place, a.description)
            a.created_at = self.now
            activity_rows.append(a.__dict__)  # its fields by attribute name (insert picks them)
        # Whom each unit's values add to, read now: the writer takes the database from here on
        # (rows are written while the next are built and the roll-ups worked out; not even a
        # progress mark may use the connection).
        targets = rollup_targets(set(paths) | {key[0] for key in before}, paths)
        ctx.report(75)
        with Writer() as writer:
            history = {"user": self.user, "reason": self.reason, "when": self.now}
            ids = writer.keys(writer.insert_with_history(Activity, activity_rows, **history))
            for r, pk in zip(new, ids, strict=True):
                a = r.activity
                link_rows.extend({"activity_id": pk, "unit_id": u.id} for u in r.partners)
                counted = a.status == ActivityStatus.SUBMITTED
                lead_id, day = a.lead_unit_id, a.end_date
                for indicator, amount in r.values.items():
                    value_rows.append(
                        {
                            "activity_id": pk,
                            "unit_id": lead_id,
                            "indicator_id": indicator.id,
                            "date": day,
                            "period_start": None,
                            "value": amount,
                            "counted": counted,
                            "approved": False,
                            "entered_by_unit_id": None,
                            "entered_by_id": user_id,
                            "note": "",
                        }
                    )
                    if counted:
                        key = (lead_id, indicator.id, day)
                        submitted, approved = after.get(key, (0, 0))
                        after[key] = (submitted + amount, approved)
            writer.insert_with_history(ActivityPartner, link_rows, **history)
            writer.insert_with_history(IndicatorValue, value_rows, **history)
            # One roll-up update for the whole run (worked out while the writer writes): sorted
            # upserts, one per key.
            upserts = Upserts(deltas_between(before, after, paths, targets))
        ctx.report(95)
        upserts.run()


def _split(value: Any) -> list[str]:
    from phoihop.imports.values import BadValue, split_codes

    if isinstance(value, list):
        return value
    if value is None or cell_text(value) == "":
        return []
    try:
        return split_codes(value)
    except BadValue as e:
        raise RowProblem("partners", str(e), value) from e


def run(ctx: ImportContext) -> None:
    ActivityImport(ctx).run()


KIND = ImportKind(
    name="activities",
    label=gettext_lazy("Hoạt động phối hợp và số liệu"),
    needs_programme=True,
    columns=columns,
    export_rows=export_rows,
    importer=run,
)
