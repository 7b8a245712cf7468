"""Cells of a row turned into values (through ``phoihop.imports.values``), the per-row runner of
the kinds written one row at a time by their services, and choices shared by several kinds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from phoihop.core.gate import PROGRAMME_DATA
from phoihop.core.services import out_of_scope_message
from phoihop.core.text import fold
from phoihop.imports.kinds.base import ImportContext, RowProblem
from phoihop.imports.resolve import UnitResolver, Unresolved

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# "#123": a record exported without an id of its own, named by its number in phoihop.
PK_REF = re.compile(r"^#(\d{1,12})$")


def cell_text(value: Any) -> str:
    """A cell as text: numbers typed in a text column (an id 123 read as 123.0) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def text_cell(data: dict[str, Any], key: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = data.get(key)
    text = value.strip() if type(value) is str else cell_text(value)
    if required and not text:
        raise RowProblem(key, _("Cột này không được để trống."))
    if max_length is not None and len(text) > max_length:
        raise RowProblem(
            key, _("Dài quá %(max)s ký tự (đang có %(n)s).") % {"max": max_length, "n": len(text)}, text[:60] + "…"
        )
    return text


@lru_cache(maxsize=16384)
def _date_from_text(text: str) -> date:
    """``parse_date`` of a text, kept: a file's dates repeat (a few thousand days in 20,000 rows)."""
    from phoihop.imports.values import parse_date

    return parse_date(text)


def _blank(value: Any) -> bool:
    return value is None or value == "" or (type(value) is not str and cell_text(value) == "")


def date_cell(data: dict[str, Any], key: str, *, required: bool = False) -> date | None:
    from phoihop.imports.values import BadValue, parse_date

    value = data.get(key)
    if _blank(value):
        if required:
            raise RowProblem(key, _("Cột này không được để trống."))
        return None
    if type(value) is date:
        return value
    try:
        return _date_from_text(value) if type(value) is str else parse_date(value)
    except BadValue as e:
        raise RowProblem(key, str(e)) from e


def int_cell(
    data: dict[str, Any], key: str, *, maximum: int | None = None, default: int | None = 0, required: bool = False
) -> int | None:
    from phoihop.imports.values import BadValue, parse_int

    value = data.get(key)
    if _blank(value):
        if required:
            raise RowProblem(key, _("Cột này không được để trống."))
        return default
    if type(value) is int and value >= 0:
        number = value
    elif type(value) is str and value.isascii() and value.isdigit():  # what parse_int makes of it
        number = int(value)
    else:
        try:
            number = parse_int(value, min_value=0)
        except BadValue as e:
            raise RowProblem(key, str(e)) from e
    if maximum is not None and number > maximum:
        raise RowProblem(key, _("Số quá lớn (tối đa %(max)s).") % {"max": f"{maximum:,}".replace(",", ".")})
    return number


def unit_cell(resolver: UnitResolver, data: dict[str, Any], key: str, *, required: bool = False) -> Any:
    if not cell_text(data.get(key)):
        if required:
            raise RowProblem(key, _("Cột này không được để trống."))
        return None
    try:
        return resolver.resolve(data.get(key))
    except Unresolved as e:
        raise RowProblem(key, str(e)) from e


class ChoiceCells:
    """Cells naming one of a model's choices (a rank, a sex, a role), read whatever the language
    of the interface: by the stored code, the Vietnamese label (what templates and exports write,
    ``phoihop.imports.templates``) or the label in the active language, case and diacritics aside.
    Built once per run: ``read(data, key)`` is the code, "" for an empty cell."""

    def __init__(self, choices: Iterable[tuple[Any, Any]], what: Any) -> None:
        pairs = [(str(code), label) for code, label in choices]
        self.what = what
        self.names: dict[str, str] = {}
        for code, _label in pairs:
            self.names.setdefault(fold(code), code)
        with translation.override("vi"):
            vietnamese = [str(label) for _code, label in pairs]
        for (code, _label), name in zip(pairs, vietnamese, strict=True):
            self.names.setdefault(fold(name), code)
        for code, label in pairs:
            self.names.setdefault(fold(str(label)), code)
        self.listed = ", ".join(vietnamese)  # the names the template's drop-down offers

    def read(self, data: dict[str, Any], key: str) -> str:
        text = cell_text(data.get(key))
        if not text:
            return ""
        code = self.names.get(fold(text))
        if code is None:
            raise RowProblem(
                key,
                _("Không có %(what)s “%(value)s”; chọn một trong: %(names)s.")
                % {"what": self.what, "value": text, "names": self.listed},
            )
        return code


def phase_codes(programme: Any) -> list[str]:
    from phoihop.programmes.models import Phase

    if programme is None:
        return []
    return list(
        Phase.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme=programme)
        .order_by("start")
        .values_list("code", flat=True)
    )


def indicator_codes(programme: Any) -> list[str]:
    from phoihop.programmes.models import Indicator

    if programme is None:
        return []
    return list(
        Indicator.objects.unrestricted(PROGRAMME_DATA)
        .filter(programme=programme)
        .order_by("field__order", "order", "code")
        .values_list("code", flat=True)
    )


def unit_codes(programme: Any) -> list[str]:
    """No drop-down for units: a programme covers thousands (the help names the rule)."""
    return []


def run_rows(
    ctx: ImportContext,
    handle: Callable[[int, dict[str, Any]], str],
    *,
    fields: dict[str, str] | None = None,
) -> None:
    """Check and write the rows one by one through the kind's services, each in a savepoint:
    a refused row is rolled back alone and its problems listed, the others go on being checked.
    The caller's transaction (``services.import_table``) is rolled back at the end of a dry run
    or when any row had a problem: all rows or none.

    ``fields``: the service's field names that are named differently as columns."""
    fields = fields or {}
    total = len(ctx.rows) or 1
    for i, (number, data) in enumerate(ctx.rows):
        try:
            with transaction.atomic():
                outcome = handle(number, data)
        except RowProblem as problem:
            ctx.problem(number, data, problem)
        except PermissionDenied as e:
            ctx.error(number, "", "", str(e) or out_of_scope_message())
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for name, messages in e.message_dict.items():
                    column = fields.get(name, name)
                    column = column if column in ctx.headers else ""
                    for message in messages:
                        ctx.error(number, column, data.get(column) if column else "", message)
            else:
                for message in e.messages:
                    ctx.error(number, "", "", message)
        else:
            if outcome == CREATED:
                ctx.created += 1
            elif outcome == UPDATED:
                ctx.updated += 1
            else:
                ctx.unchanged += 1
        if i % 200 == 199:
            ctx.report(100 * i // total)
