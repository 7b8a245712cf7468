"""Cell values of imported files: dates, numbers, yes/no and code lists, read the Vietnamese way.

Each parser takes what the reading layer gives (str, int, float, date, datetime, bool or None)
and returns a Python value or raises BadValue, whose str() is the Vietnamese reason shown to
the user next to the row and column. An empty cell is the caller's business (`is_blank`);
the parsers refuse it ("Chưa có giá trị."), except parse_bool (empty = no) and split_codes
(empty = no codes).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core.text import fold

__all__ = [
    "BadValue",
    "is_blank",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "split_codes",
]


class BadValue(ValueError):
    """A cell value that cannot be read; str(e) is the Vietnamese reason."""


def is_blank(value: Any) -> bool:
    """True for an empty cell: None or a string of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    # Spaces Excel and Word put in numbers and dates: no-break, narrow no-break, thin.
    return str(value).replace("\xa0", " ").replace("\u202f", " ").replace("\u2009", " ").strip()


def _blank() -> BadValue:
    return BadValue(_("Chưa có giá trị."))


# --- dates --------------------------------------------------------------------------------------

# Excel's 1900 date system counts 1900-02-29, which did not exist (Lotus 1-2-3's bug):
# serial 60 is that day, serials from 61 on are days since 1899-12-30.
_EXCEL_LAST_SERIAL = 2958465  # 9999-12-31
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
# A time part after the date ("23/09/2022 00:00", "2022-09-23T00:00:00"), ignored.
_TIME_TAIL = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def excel_serial_to_date(serial: float) -> dt.date:
    """A date from an Excel serial number (1900 date system); the time part is dropped."""
    days = int(serial)
    if days < 1 or days > _EXCEL_LAST_SERIAL or days == 60:
        raise BadValue(_("Số ngày kiểu Excel không hợp lệ: %(value)s.") % {"value": _text(serial)})
    if days < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=days)
    return dt.date(1899, 12, 30) + dt.timedelta(days=days)


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        message = _("Ngày không có thật trong lịch: %(day)02d/%(month)02d/%(year)d.")
        raise BadValue(message % {"day": day, "month": month, "year": year}) from None


def parse_date(value: Any) -> dt.date:
    """A date from a date/datetime cell, "23/9/2022", "23/09/2022", "2022-09-23" or an Excel serial.

    Day first, as in Vietnam ("dd/mm/yyyy"; "-" and "." also separate). A year needs four digits.
    An Excel serial is a number (int/float) or a string of five digits ("44827" = 23/09/2022).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise BadValue(_("Ngày không hợp lệ (dd/mm/yyyy)."))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value != value:  # NaN
            raise BadValue(_("Ngày không hợp lệ (dd/mm/yyyy)."))
        return excel_serial_to_date(value)
    if is_blank(value):
        raise _blank()
    text = _text(value)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return excel_serial_to_date(float(text))
    match = _DMY.match(text)
    if match and _TIME_TAIL.fullmatch(text, match.end()):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            raise BadValue(_("Năm phải có đủ 4 chữ số (dd/mm/yyyy): %(value)s.") % {"value": text})
        return _make_date(year, month, day)
    match = _YMD.match(text)
    if match and _TIME_TAIL.fullmatch(text, match.end()):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    raise BadValue(_("Ngày không hợp lệ (dd/mm/yyyy): %(value)s.") % {"value": text})


# --- numbers ------------------------------------------------------------------------------------

_INT_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([. ])\d{3})(?:\1\d{3})*")
_PLAIN_INT = re.compile(r"[+-]?\d+")


def _normalise_number(text: str) -> str:
    """A number written the Vietnamese way ("1.234.567", "1 234", "1.234,5") as "1234567.5".

    The dot and the space group thousands, the comma is the decimal mark. Where only one of
    them appears once, with three digits after a dot ("1.234"), the dot groups thousands.
    A number written the English way with both marks ("1,234.5") is read too.
    """
    compact = text.replace(" ", "")
    if " " in text and not re.fullmatch(r"[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?", text):
        raise BadValue(_("Số không hợp lệ: %(value)s.") % {"value": text})
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", compact):
        raise BadValue(_("Số không hợp lệ: %(value)s.") % {"value": text})
    sign = ""
    if compact[0] in "+-":
        sign, compact = compact[0], compact[1:]
    dots, commas = compact.count("."), compact.count(",")
    if dots and commas:
        # The mark that comes last is the decimal mark; the other groups thousands.
        decimal_mark = "," if compact.rfind(",") > compact.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _sep, frac = compact.rpartition(decimal_mark)
        if whole.count(decimal_mark) or not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group_mark)}\d{{3}})*", whole):
            raise BadValue(_("Số không hợp lệ: %(value)s.") % {"value": text})
        return sign + whole.replace(group_mark, "") + "." + frac
    if dots > 1 or commas > 1:
        mark = "." if dots else ","
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", compact):
            raise BadValue(_("Số không hợp lệ: %(value)s.") % {"value": text})
        return sign + compact.replace(mark, "")
    if dots == 1:
        whole, _sep, frac = compact.partition(".")
        if re.fullmatch(r"\d{1,3}", whole) and len(frac) == 3:
            return sign + whole + frac  # "1.234" = 1234
        return sign + whole + "." + frac
    if commas == 1:
        whole, _sep, frac = compact.partition(",")
        return sign + whole + "." + frac  # "1,5" = 1.5
    return sign + compact


def _check_range(number, min_value, max_value):
    if min_value is not None and number < min_value:
        if min_value == 0:
            raise BadValue(_("Không được là số âm."))
        raise BadValue(_("Phải lớn hơn hoặc bằng %(min)s.") % {"min": min_value})
    if max_value is not None and number > max_value:
        raise BadValue(_("Phải nhỏ hơn hoặc bằng %(max)s.") % {"max": max_value})


def parse_int(value: Any, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """A whole number: 1234, 1234.0, "1234", "1.234", "1 234", "1.234.567".

    Refuses fractions ("1,5", 1.5) and, with min_value, numbers below it (min_value=0: negatives).
    """
    if isinstance(value, bool):
        raise BadValue(_("Phải là số nguyên."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise BadValue(_("Phải là số nguyên: %(value)s.") % {"value": _text(value).replace(".", ",")})
        number = int(value)
    elif isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise BadValue(_("Phải là số nguyên: %(value)s.") % {"value": value})
        number = int(value)
    else:
        if is_blank(value):
            raise _blank()
        text = _text(value)
        if _PLAIN_INT.fullmatch(text):
            number = int(text)
        elif _INT_GROUPED.fullmatch(text):
            number = int(re.sub(r"[. ]", "", text))
        else:
            normalised = _normalise_number(text)
            try:
                as_decimal = Decimal(normalised)
            except InvalidOperation:
                raise BadValue(_("Số không hợp lệ: %(value)s.") % {"value": text}) from None
            if as_decimal != as_decimal.to_integral_value():
                raise BadValue(_("Phải là số nguyên: %(value)s.") % {"value": text})
            number = int(as_decimal)
    _check_range(number, min_value, max_value)
    return number


def parse_decimal(
    value: Any,
    *,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
    places: int | None = None,
) -> Decimal:
    """A number that may have a fractional part: 12, 12.5 (a number cell), "12,5", "1.234,5", "1 234,5".

    With `places`, refuses more decimal places than that ("Tối đa 2 chữ số thập phân.").
    """
    if isinstance(value, bool):
        raise BadValue(_("Số không hợp lệ."))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadValue(_("Số không hợp lệ."))
        number = Decimal(repr(value))  # the shortest decimal that reads back as this float
    else:
        if is_blank(value):
            raise _blank()
        text = _text(value)
        try:
            number = Decimal(_normalise_number(text))
        except InvalidOperation:
            raise BadValue(_("Số không hợp lệ: %(value)s.") % {"value": text}) from None
    if not number.is_finite():
        raise BadValue(_("Số không hợp lệ."))
    if places is not None:
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise BadValue(_("Tối đa %(places)d chữ số thập phân.") % {"places": places})
    _check_range(number, min_value, max_value)
    return number


# --- yes/no and code lists ----------------------------------------------------------------------

_TRUE = {"co", "x", "1", "true", "yes", "y", "dung", "c", "v", "\u2713", "\u2714"}
_FALSE = {"khong", "0", "false", "no", "n", "sai", "k", "-"}


def parse_bool(value: Any) -> bool:
    """Yes/no: "có"/"không", "x", 1/0, "true"/"false", "yes"/"no", "đúng"/"sai" (any case, with or
    without diacritics). An empty cell is "no"."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = fold(_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue(_("Chỉ ghi “có” hoặc “không”: %(value)s.") % {"value": _text(value)})


def split_codes(value: Any) -> list[str]:
    """Codes separated by ";": "a; b ;c" -> ["a", "b", "c"]. Empty parts and repeats are dropped."""
    if is_blank(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    codes: list[str] = []
    for part in _text(value).split(";"):
        code = part.strip()
        if code and code not in codes:
            codes.append(code)
    return codes
