"""The register's lines for the numbers given before it existed.

Every report and commendation decision that carries a number gets its line (body, year,
number, symbol, date, subject, the document). Numbers the counter gave out but no document
carries (a number typed over, a report deleted) get a line marked cancelled, so the register
shows no gap the counter did not already have; the counter is raised to the highest number a
document carries. Two documents carrying the same number of one body and year (typed by hand)
cannot both have a line: the earlier keeps it, the later is printed here for the clerk (see
docs/adr/0018-document-registers.md). History rows are not written for these lines.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import migrations

MAX_FILLED_GAP = 1000  # a typed number far beyond the counter is not padded with thousands of lines
UNKNOWN = "Số đã cấp trước khi có sổ đăng ký văn bản đi; không tìm thấy văn bản mang số này."
PLACE_WORDS = {"tinh", "thanh", "xa", "phuong", "huyen", "quan", "thi", "dac", "khu", "viet", "nam"}
KIND_BY_ORGANISATION = {"qdnd": "army", "ccb": "association"}


def _fold(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


def _abbreviation(name: str) -> str:
    # As phoihop.reporting.documents.abbreviation_for did when this migration was written.
    letters: list[str] = []
    for word in re.split(r"[\s\-]+", name.strip()):
        folded = _fold(word)
        if not folded:
            continue
        if letters and folded in PLACE_WORDS:
            break
        letters.append(folded[0].upper())
    return "".join(letters)[:12] or "VP"


def forwards(apps: Any, schema_editor: Any) -> None:
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    Party = apps.get_model("programmes", "Party")
    BodyProfile = apps.get_model("reporting", "BodyProfile")
    Report = apps.get_model("reporting", "Report")
    NumberRegister = apps.get_model("reporting", "NumberRegister")
    RegisteredNumber = apps.get_model("reporting", "RegisteredNumber")
    Decision = apps.get_model("commendations", "Decision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    representative = {p.root_unit_id: p.representative_unit_id for p in Party.objects.all()}
    profiles = {p.unit_id: p for p in BodyProfile.objects.all()}
    units: dict[int, Any] = {}

    def unit(pk: int) -> Any:
        if pk not in units:
            units[pk] = OrgUnit.objects.select_related("organisation").get(pk=pk)
        return units[pk]

    def issuer(pk: int) -> int:
        found = unit(pk)
        if found.depth == 1 and pk in representative:
            return int(representative[pk])
        return pk

    def symbol(unit_ids: list[int], type_code: str) -> str:
        abbreviations, kinds = [], []
        for pk in unit_ids:
            body = unit(issuer(pk))
            profile = profiles.get(body.pk)
            abbreviations.append(profile.abbreviation if profile else _abbreviation(body.name))
            kinds.append(profile.kind if profile else KIND_BY_ORGANISATION.get(body.organisation.code, "state"))
        joined = "-".join(a.strip() for a in abbreviations if a.strip())
        if kinds[0] == "party":
            return f"{type_code}/{joined}"
        return f"{type_code}-{joined}" if joined else type_code

    report_type = ContentType.objects.get_or_create(app_label="reporting", model="report")[0]
    decision_type = ContentType.objects.get_or_create(app_label="commendations", model="decision")[0]
    lines: dict[tuple[int, int, int], Any] = {}
    clashes: list[str] = []

    def add(line: Any, label: str) -> None:
        key = (line.unit_id, line.year, line.number)
        if key in lines:
            clashes.append(f"{label}: số {line.number:02d}/{line.year} đã thuộc văn bản khác của cùng cơ quan")
            return
        lines[key] = line

    reports = (
        Report.objects.filter(number__isnull=False)
        .select_related("period__programme")
        .order_by("issued_on", "submitted_at", "pk")
    )
    for report in reports:
        day = report.issued_on or (report.submitted_at or report.created_at).date()
        body = issuer(report.unit_id)
        units_of = [report.unit_id] + ([report.partner_unit_id] if report.partner_unit_id else [])
        add(
            RegisteredNumber(
                unit_id=body,
                year=day.year,
                number=report.number,
                symbol=symbol(units_of, "BC")[:100],
                kind="report",
                issued_on=day,
                subject=f"{report.period.programme.title}, {report.period.name}"[:500],
                content_type=report_type,
                object_id=report.pk,
                taken_by_id=report.submitted_by_id,
                status="issued",
            ),
            f"báo cáo #{report.pk}",
        )
    for decision in Decision.objects.filter(number__isnull=False).order_by("issued_on", "pk"):
        add(
            RegisteredNumber(
                unit_id=decision.issuing_unit_id,
                year=decision.issued_on.year,
                number=decision.number,
                symbol=symbol([decision.awarding_unit_id], "QĐ")[:100],
                kind="decision",
                issued_on=decision.issued_on,
                subject=(decision.subject or "")[:500],
                content_type=decision_type,
                object_id=decision.pk,
                taken_by_id=decision.created_by_id,
                status="issued",
            ),
            f"quyết định #{decision.pk}",
        )

    # Each register runs 1..last with no gap: numbers given out but not found are cancelled lines.
    counters = {(r.unit_id, r.year): r for r in NumberRegister.objects.all()}
    highest: dict[tuple[int, int], int] = {}
    for unit_id, year, number in lines:
        highest[(unit_id, year)] = max(highest.get((unit_id, year), 0), number)
    for key in set(counters) | set(highest):
        last = max(counters[key].last if key in counters else 0, highest.get(key, 0))
        missing = [n for n in range(1, last + 1) if (key[0], key[1], n) not in lines]
        if len(missing) > MAX_FILLED_GAP:
            clashes.append(f"cơ quan #{key[0]} năm {key[1]}: {len(missing)} số trống, không ghi thành dòng hủy")
            missing = []
        for n in missing:
            lines[(key[0], key[1], n)] = RegisteredNumber(
                unit_id=key[0], year=key[1], number=n, kind="other", status="cancelled", cancel_reason=UNKNOWN
            )
        if key in counters:
            if counters[key].last != last:
                counters[key].last = last
                counters[key].save(update_fields=["last"])
        else:
            NumberRegister.objects.create(unit_id=key[0], year=key[1], last=last)
    RegisteredNumber.objects.bulk_create(lines.values(), batch_size=500)
    for clash in clashes:
        print(f"\n  sổ văn bản đi: {clash}")


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("reporting", "RegisteredNumber").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_registered_number"),
        ("commendations", "0004_version"),
        ("programmes", "0005_indicator_max_per_entry"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
