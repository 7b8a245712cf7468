"""Plausibility of a figure before it is written: the one home of the rules the activity form,
the figure-entry form and the API share (through the services that call it).

Two rules (docs/adr/0014-plausibility.md):

* a hard maximum per entry, as data (``Indicator.max_per_entry``): a value above it is refused;
* an outlier asks for a confirmation: a value above ``FACTOR`` times the reference, and above
  ``FLOOR``, where the reference is the larger of the unit's own largest earlier value (once it
  has ``MIN_HISTORY`` of them) and the mean value per entry of the units at the same depth of
  the tree (its peers, kept in the cache for ``PEER_TTL`` seconds). With no reference at all,
  nothing is an outlier. A confirmed outlier is written with the confirmation in the history
  row's reason (who and when are the history row's own).

Cost: one grouped aggregate over the unit's own rows (the ``value_unit_ind_date`` index) per
write; the peers' means come from the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.formats import vn_number
from phoihop.core.gate import INTEGRITY
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator

FACTOR = 10
FLOOR = 100
MIN_HISTORY = 3
PEER_TTL = 3600

# The documented flag of the API (and the form's checkbox) that confirms outliers.
CONFIRM_FIELD = "confirm_outliers"
CONFIRM_LABEL = gettext_lazy("Tôi xác nhận số liệu này là đúng")

# The activity's own counts checked like indicator values: field name -> label.
PARTICIPANT_FIELDS = {
    "participants_lead": gettext_lazy("Số người tham gia bên chủ trì"),
    "participants_partner": gettext_lazy("Số người tham gia bên phối hợp"),
}


@dataclass(frozen=True)
class Finding:
    """One implausible value: ``field`` is the participants field it is, or "values" for an
    indicator (then ``indicator`` names it)."""

    field: str
    indicator: Indicator | None
    value: int
    limit: int
    message: str

    @property
    def label(self) -> str:
        return self.indicator.name if self.indicator is not None else str(PARTICIPANT_FIELDS[self.field])


class PlausibilityError(ValidationError):
    """Values refused (above the hard maximum) or to confirm (outliers); ``findings`` says which,
    so a page can put each message on its own input."""

    needs_confirmation = False

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        errors: dict[str, list[str]] = {}
        for finding in findings:
            errors.setdefault(finding.field, []).append(finding.message)
        if self.needs_confirmation:
            errors[CONFIRM_FIELD] = [
                _(
                    "Có số liệu lớn bất thường so với trước đây của đơn vị và các đơn vị cùng cấp. "
                    "Kiểm tra lại; nếu đúng, đánh dấu “%(label)s” (API: %(flag)s: true) rồi lưu lại."
                )
                % {"label": CONFIRM_LABEL, "flag": CONFIRM_FIELD}
            ]
        super().__init__(errors)


class OutlierError(PlausibilityError):
    needs_confirmation = True


# --- the hard maximum ----------------------------------------------------------------------------


def check_maximum(values: Mapping[Indicator, int | None]) -> None:
    """Refuse a value above its indicator's maximum per entry."""
    findings = [
        Finding(
            "values",
            indicator,
            amount,
            indicator.max_per_entry,
            _("Chỉ tiêu “%(name)s”: mỗi lần ghi tối đa %(max)s %(uom)s; %(value)s là quá lớn.")
            % {
                "name": indicator.name,
                "max": vn_number(indicator.max_per_entry),
                "uom": indicator.unit_of_measure,
                "value": vn_number(amount),
            },
        )
        for indicator, amount in values.items()
        if amount is not None and indicator.max_per_entry is not None and amount > indicator.max_per_entry
    ]
    if findings:
        raise PlausibilityError(findings)


# --- outliers ------------------------------------------------------------------------------------


def _value_rows(*, for_activity: bool) -> Any:
    from phoihop.entry.models import IndicatorValue

    rows = IndicatorValue.objects.unrestricted(INTEGRITY).filter(counted=True)
    return rows.filter(activity__isnull=not for_activity)


def _peer_value_means(depth: int, indicator_ids: list[int], *, for_activity: bool) -> dict[int, float]:
    kind = "a" if for_activity else "e"
    keys = {pk: f"plausibility:v:{kind}:{depth}:{pk}" for pk in indicator_ids}
    found = cache.get_many(list(keys.values()))
    means = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in indicator_ids if pk not in means]
    if missing:
        rows = (
            _value_rows(for_activity=for_activity)
            .filter(indicator_id__in=missing, unit__depth=depth)
            .values("indicator_id")
            .annotate(mean=Avg("value"))
        )
        computed = {row["indicator_id"]: float(row["mean"] or 0) for row in rows}
        for pk in missing:
            means[pk] = computed.get(pk, 0.0)
        cache.set_many({keys[pk]: means[pk] for pk in missing}, PEER_TTL)
    return means


def _peer_participant_means(depth: int) -> dict[str, float]:
    key = f"plausibility:p:{depth}"
    means = cache.get(key)
    if means is None:
        from phoihop.activities.models import Activity, ActivityStatus

        row = (
            Activity.objects.unrestricted(INTEGRITY)
            .filter(lead_unit__depth=depth, status__in=[ActivityStatus.SUBMITTED, ActivityStatus.APPROVED])
            .aggregate(**{name: Avg(name) for name in PARTICIPANT_FIELDS})
        )
        means = {name: float(row[name] or 0) for name in PARTICIPANT_FIELDS}
        cache.set(key, means, PEER_TTL)
    return means


def threshold(own_max: int | None, own_count: int, peer_mean: float) -> int | None:
    """The value above which an entry is an outlier, or None when there is nothing to compare."""
    reference = max((own_max or 0) if own_count >= MIN_HISTORY else 0, peer_mean)
    if reference <= 0:
        return None
    return max(FLOOR, int(FACTOR * reference))


def _outlier(field: str, indicator: Indicator | None, label: str, amount: int, limit: int, uom: str) -> Finding:
    return Finding(
        field,
        indicator,
        amount,
        limit,
        _(
            "“%(label)s” = %(value)s %(uom)s lớn bất thường (quá %(factor)s lần mức thường gặp của đơn vị "
            "và các đơn vị cùng cấp; ngưỡng %(limit)s). Kiểm tra lại, hoặc xác nhận nếu đúng."
        )
        % {
            "label": label,
            "value": vn_number(amount),
            "uom": uom,
            "factor": FACTOR,
            "limit": vn_number(limit),
        },
    )


def find_outliers(
    unit: OrgUnit,
    values: Mapping[Indicator, int | None],
    *,
    for_activity: bool,
    exclude_activity: int | None = None,
    participants: Mapping[str, int] | None = None,
) -> list[Finding]:
    """The outliers among ``values`` (and an activity's ``participants``) written for ``unit``."""
    findings: list[Finding] = []
    wanted = {ind.pk: (ind, amount) for ind, amount in values.items() if amount is not None and amount > FLOOR}
    if wanted:
        own = _value_rows(for_activity=for_activity).filter(unit_id=unit.pk, indicator_id__in=list(wanted))
        if exclude_activity is not None:
            own = own.exclude(activity_id=exclude_activity)
        history = {
            row["indicator_id"]: row
            for row in own.values("indicator_id").annotate(top=Max("value"), n=Count("id")).order_by()
        }
        peers = _peer_value_means(unit.depth, list(wanted), for_activity=for_activity)
        for pk, (indicator, amount) in wanted.items():
            row = history.get(pk, {})
            limit = threshold(row.get("top"), row.get("n", 0), peers.get(pk, 0.0))
            if limit is not None and amount > limit:
                findings.append(_outlier("values", indicator, indicator.name, amount, limit, indicator.unit_of_measure))
    counts = {k: v for k, v in (participants or {}).items() if v and v > FLOOR}
    if counts:
        from phoihop.activities.models import Activity, ActivityStatus

        mine = Activity.objects.unrestricted(INTEGRITY).filter(
            lead_unit_id=unit.pk, status__in=[ActivityStatus.SUBMITTED, ActivityStatus.APPROVED]
        )
        if exclude_activity is not None:
            mine = mine.exclude(pk=exclude_activity)
        row = mine.aggregate(n=Count("id"), **{f"top_{name}": Max(name) for name in counts})
        peers_p = _peer_participant_means(unit.depth)
        for name, amount in counts.items():
            limit = threshold(row[f"top_{name}"], row["n"], peers_p[name])
            if limit is not None and amount > limit:
                findings.append(_outlier(name, None, str(PARTICIPANT_FIELDS[name]), amount, limit, _("người")))
    return findings


def require_plausible(
    unit: OrgUnit,
    values: Mapping[Indicator, int | None],
    *,
    for_activity: bool,
    confirmed: bool,
    exclude_activity: int | None = None,
    participants: Mapping[str, int] | None = None,
) -> str:
    """Refuse values above their maximum; ask for a confirmation of outliers. Returns the text to
    keep in the history row's reason when outliers were confirmed ("" when there were none)."""
    check_maximum(values)
    findings = find_outliers(
        unit, values, for_activity=for_activity, exclude_activity=exclude_activity, participants=participants
    )
    if not findings:
        return ""
    if not confirmed:
        raise OutlierError(findings)
    return confirmation_note(findings)


def confirmation_note(findings: Iterable[Finding]) -> str:
    parts = "; ".join(f"{f.label} = {vn_number(f.value)} ({_('ngưỡng')} {vn_number(f.limit)})" for f in findings)
    return _("Người nhập xác nhận số liệu bất thường: %(values)s") % {"values": parts}
