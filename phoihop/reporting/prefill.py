"""A report's narrative written from its own data, so that no heading of the document stands
empty: a short factual paragraph per field (the activities of the period that reported figures
of the field, the most notable one, the field's figures against the previous period and the
phase's targets, its models), the opening sentence, and the general sections drawn from the
same figures and from the lessons and proposals the units recorded.

``prefill(report, content)`` gives the text of every narrative key the report leaves empty.
``services.report_open`` writes it into a new draft (the clerk edits it as they like); the
document builder (``documents.sections_for``) uses it for a field left empty at build time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F
from django.utils.translation import gettext as _

from phoihop.activities.models import Activity, ActivityStatus
from phoihop.core.formats import vn_number
from phoihop.core.gate import OFFICIAL_TEXT
from phoihop.orgunits.names import names_on
from phoihop.reporting.content import _subtree_units
from phoihop.reporting.models import NARRATIVE_SECTIONS, Report

COUNTED = [ActivityStatus.SUBMITTED, ActivityStatus.APPROVED]
MAX_FIGURES = 3  # figures quoted in a field's paragraph
MAX_NAMES = 4  # indicators or fields named in a general section


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _quoted(name: str) -> str:
    """A title in quotation marks, unless it has its own (“Mô hình “Khu dân cư an toàn””)."""
    return name if "“" in name or '"' in name else f"“{name}”"


def activities_by_field(report: Report, content: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Per field id: the number of counted activities of the period (in the report's subtree)
    that reported a figure of the field, and the one with the most participants, with its unit
    named in full as it was at the period's end."""
    start, end = content["period"]["start"], content["period"]["end"]
    activities = (
        Activity.objects.unrestricted(OFFICIAL_TEXT)
        .filter(lead_unit__in=_subtree_units(report.units), status__in=COUNTED)
        .filter(end_date__gte=start, end_date__lte=end, phase__programme_id=report.period.programme_id)
    )
    field_ids = [f["id"] for f in content["fields"]]
    counts = (
        activities.filter(values__indicator__field_id__in=field_ids)
        .values("values__indicator__field_id")
        .annotate(n=Count("pk", distinct=True))
    )
    found: dict[int, dict[str, Any]] = {r["values__indicator__field_id"]: {"count": r["n"]} for r in counts}
    for field_id, row in found.items():
        top = (
            activities.filter(values__indicator__field_id=field_id)
            .annotate(people=F("participants_lead") + F("participants_partner"))
            .order_by("-people", "-end_date", "pk")
            .values("title", "lead_unit_id")
            .first()
        )
        if top is not None:
            row["top"] = top["title"]
            row["top_unit_id"] = top["lead_unit_id"]
    names = names_on((row["top_unit_id"] for row in found.values() if "top_unit_id" in row), date.fromisoformat(end))
    for row in found.values():
        if "top_unit_id" in row:
            row["top_unit"] = names.get(row.pop("top_unit_id"), "")
    return found


def _change(row: dict[str, Any], previous_label: str) -> str:
    value, previous, target = row["value"], row["previous"], row["target"]
    parts = []
    if previous:
        ratio = (value - previous) * 100 / previous
        if abs(ratio) < 0.05:
            parts.append(_("bằng %(label)s") % {"label": _lower_first(previous_label)})
        else:
            parts.append(
                (_("tăng %(pct)s%% so với %(label)s") if ratio > 0 else _("giảm %(pct)s%% so với %(label)s"))
                % {"pct": vn_number(abs(ratio), 1), "label": _lower_first(previous_label)}
            )
    if target:
        parts.append(_("đạt %(pct)s%% chỉ tiêu giai đoạn") % {"pct": vn_number(value * 100 / target, 1)})
    return f" ({', '.join(parts)})" if parts else ""


def field_text(field: dict[str, Any], activities: dict[str, Any] | None, content: dict[str, Any]) -> str:
    """The paragraph of one field: activities, figures and models of the period."""
    previous_label = content.get("previous_label") or _("Kỳ trước")
    sentences = []
    if activities and activities.get("count"):
        sentence = _(
            "Trong kỳ, các cơ quan, đơn vị đã tổ chức %(n)s hoạt động phối hợp có kết quả thuộc lĩnh vực này"
        ) % {"n": vn_number(activities["count"])}
        if activities.get("top"):
            sentence += _(", nổi bật là %(title)s (%(unit)s)") % {
                "title": _quoted(activities["top"]),
                "unit": activities["top_unit"],
            }
        sentences.append(sentence + ".")
    figures = sorted((r for r in field["rows"] if r["value"]), key=lambda r: r["target"] is None)[:MAX_FIGURES]
    if figures:
        quoted = [
            _("%(name)s đạt %(value)s %(uom)s%(change)s")
            % {
                "name": _lower_first(r["name"]),
                "value": vn_number(r["value"]),
                "uom": r["unit_of_measure"],
                "change": _change(r, previous_label),
            }
            for r in figures
        ]
        sentences.append(_("Kết quả: %(list)s.") % {"list": "; ".join(quoted)})
    models = [m for m in content.get("models", []) if m.get("field") == field["name"]][:2]
    if models:
        named = [
            (_("%(name)s (%(unit)s), đã nhân rộng ra %(n)s đơn vị") if m["spread"] else _("%(name)s (%(unit)s)"))
            % {"name": _quoted(m["name"]), "unit": m["unit"], "n": vn_number(m["spread"])}
            for m in models
        ]
        sentences.append(_("Mô hình tiêu biểu: %(list)s.") % {"list": "; ".join(named)})
    if not sentences:
        return _("Trong kỳ, chưa có hoạt động phối hợp và số liệu nào của lĩnh vực này được báo cáo.")
    return " ".join(sentences)


def _named(rows: list[dict[str, Any]]) -> str:
    """Names of indicators or fields, which may hold commas themselves: separated by semicolons."""
    return "; ".join(_lower_first(r["name"]) for r in rows[:MAX_NAMES])


def general_texts(report: Report, content: dict[str, Any], quiet_fields: list[str]) -> dict[str, str]:
    """Strengths, limitations, lessons, directions and proposals from the figures and records."""
    rows = [r for f in content["fields"] for r in f["rows"]]
    previous_label = _lower_first(content.get("previous_label") or _("Kỳ trước"))
    risen = [r for r in rows if r["previous"] and r["value"] > r["previous"]]
    fallen = [r for r in rows if r["previous"] and r["value"] < r["previous"]]
    met = [r for r in rows if r["target"] and r["value"] >= r["target"]]
    texts: dict[str, str] = {}

    strengths = []
    if risen:
        strengths.append(
            _("Các chỉ tiêu tăng so với %(label)s: %(list)s.") % {"label": previous_label, "list": _named(risen)}
        )
    if met:
        strengths.append(_("Đã đạt, vượt chỉ tiêu giai đoạn: %(list)s.") % {"list": _named(met)})
    if content.get("models"):
        strengths.append(
            _("Có %(n)s mô hình, điển hình được ghi nhận, tiêu biểu là %(name)s (%(unit)s).")
            % {
                "n": vn_number(len(content["models"])),
                "name": _quoted(content["models"][0]["name"]),
                "unit": content["models"][0]["unit"],
            }
        )
    texts["strengths"] = " ".join(strengths) or _(
        "Các cơ quan, đơn vị duy trì thực hiện chương trình phối hợp và báo cáo số liệu theo quy định."
    )

    limitations = []
    if fallen:
        limitations.append(
            _("Một số chỉ tiêu giảm so với %(label)s: %(list)s.") % {"label": previous_label, "list": _named(fallen)}
        )
    if quiet_fields:
        limitations.append(
            _("Chưa có hoạt động phối hợp được báo cáo ở các lĩnh vực: %(list)s.")
            % {"list": _named([{"name": n} for n in quiet_fields])}
        )
    texts["limitations"] = " ".join(limitations) or _(
        "Qua số liệu trong kỳ, không có chỉ tiêu nào giảm so với %(label)s; cần tiếp tục rà soát để nâng cao "
        "chất lượng phối hợp."
    ) % {"label": previous_label}

    for key, empty in (
        ("lessons", _("Trong kỳ, các cơ quan, đơn vị chưa ghi nhận bài học kinh nghiệm nào.")),
        ("proposals", _("Trong kỳ, các cơ quan, đơn vị chưa có đề xuất, kiến nghị nào.")),
    ):
        notes = content.get(key) or []
        seen: dict[str, str] = {}
        for note in notes:
            seen.setdefault(note["title"].strip(), " ".join(note["content"].split()))
        texts[key] = "\n".join(f"- {title}: {text}" for title, text in seen.items()) or str(empty)

    directions = [_("Tiếp tục quán triệt, thực hiện %(programme)s.") % {"programme": report.period.programme.title}]
    if quiet_fields:
        directions.append(
            _("Tập trung phối hợp ở các lĩnh vực còn ít hoạt động: %(list)s.")
            % {"list": _named([{"name": n} for n in quiet_fields])}
        )
    if fallen:
        directions.append(
            _("Có giải pháp khắc phục các chỉ tiêu giảm so với %(label)s: %(list)s.")
            % {"label": previous_label, "list": _named(fallen)}
        )
    if content.get("models"):
        directions.append(_("Nhân rộng các mô hình, điển hình đã có hiệu quả."))
    texts["directions"] = " ".join(directions)
    return texts


def prefill(report: Report, content: dict[str, Any], *, sections: bool = True) -> dict[str, str]:
    """The text of each narrative key the report leaves empty (``sections=False``: the fields only)."""
    from phoihop.reporting.documents import default_intro  # documents reads this module

    texts: dict[str, str] = {}
    keys = [f"field:{f['code']}" for f in content["fields"]]
    if sections:
        keys += ["intro", *(key for key, _label in NARRATIVE_SECTIONS)]
    if all(report.section_text(key).strip() for key in keys):
        return texts  # all written: no query
    by_field = activities_by_field(report, content)
    quiet = [f["name"] for f in content["fields"] if not by_field.get(f["id"], {}).get("count")]
    for field in content["fields"]:
        key = f"field:{field['code']}"
        if not report.section_text(key).strip():
            texts[key] = field_text(field, by_field.get(field["id"]), content)
    if not sections:
        return texts
    if not report.section_text("intro").strip():
        texts["intro"] = default_intro(report)
    general = general_texts(report, content, quiet)
    for key, _label in NARRATIVE_SECTIONS:
        if not report.section_text(key).strip() and general.get(key):
            texts[key] = general[key]
    return texts
