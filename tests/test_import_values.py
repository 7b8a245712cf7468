"""Cell values of imported files, read the Vietnamese way (phoihop/imports/values.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from phoihop.imports.values import (
    BadValue,
    is_blank,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    split_codes,
)

D = dt.date(2022, 9, 23)


@pytest.mark.parametrize(
    "value",
    [
        D,
        dt.datetime(2022, 9, 23, 14, 30),
        "23/9/2022",
        "23/09/2022",
        " 23/09/2022 ",
        "23-09-2022",
        "23.09.2022",
        "23/09/2022 00:00",
        "23/09/2022 00:00:00",
        "2022-09-23",
        "2022/09/23",
        "2022-09-23T00:00:00",
        "2022-09-23 08:15:00",
        44827,
        44827.0,
        44827.75,  # a time part is dropped
        "44827",
    ],
)
def test_dates_in_every_accepted_form(value):
    assert parse_date(value) == D


def test_excel_serials_follow_the_1900_date_system():
    assert parse_date(1) == dt.date(1900, 1, 1)
    assert parse_date(59) == dt.date(1900, 2, 28)
    assert parse_date(61) == dt.date(1900, 3, 1)  # 60 is Excel's non-existent 29/02/1900
    assert parse_date(45658) == dt.date(2025, 1, 1)
    with pytest.raises(BadValue, match="Excel"):
        parse_date(60)
    with pytest.raises(BadValue, match="Excel"):
        parse_date(0)
    with pytest.raises(BadValue, match="Excel"):
        parse_date(-5)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2022", "Ngày không có thật trong lịch: 31/02/2022."),
        ("2022-13-01", "Ngày không có thật trong lịch: 01/13/2022."),
        ("23/09/22", "Năm phải có đủ 4 chữ số (dd/mm/yyyy): 23/09/22."),
        ("hôm qua", "Ngày không hợp lệ (dd/mm/yyyy): hôm qua."),
        ("23/09/2022 abc", "Ngày không hợp lệ (dd/mm/yyyy): 23/09/2022 abc."),
        ("2022", "Ngày không hợp lệ (dd/mm/yyyy): 2022."),
        ("", "Chưa có giá trị."),
        (None, "Chưa có giá trị."),
        (True, "Ngày không hợp lệ (dd/mm/yyyy)."),
    ],
)
def test_bad_dates_say_why_in_vietnamese(value, reason):
    with pytest.raises(BadValue) as caught:
        parse_date(value)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234, 1234),
        (1234.0, 1234),
        (Decimal("1234"), 1234),
        ("1234", 1234),
        ("1.234", 1234),
        ("1 234", 1234),
        ("1\xa0234", 1234),  # no-break space, as Excel and Word write it
        ("1.234.567", 1234567),
        ("1 234 567", 1234567),
        ("1,234,567", 1234567),
        ("1,0", 1),
        ("+5", 5),
        ("-3", -3),
        ("0", 0),
        (" 42 ", 42),
    ],
)
def test_whole_numbers_with_vietnamese_separators(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1,5", "Phải là số nguyên: 1,5."),
        (1.5, "Phải là số nguyên: 1,5."),
        ("1.23", "Phải là số nguyên: 1.23."),
        ("1.2.3", "Số không hợp lệ: 1.2.3."),
        ("12 34", "Số không hợp lệ: 12 34."),
        ("mười", "Số không hợp lệ: mười."),
        ("", "Chưa có giá trị."),
        (None, "Chưa có giá trị."),
        (True, "Phải là số nguyên."),
    ],
)
def test_bad_whole_numbers_say_why(value, reason):
    with pytest.raises(BadValue) as caught:
        parse_int(value)
    assert str(caught.value) == reason


def test_whole_number_bounds():
    assert parse_int("0", min_value=0) == 0
    with pytest.raises(BadValue) as caught:
        parse_int("-3", min_value=0)
    assert str(caught.value) == "Không được là số âm."
    with pytest.raises(BadValue) as caught:
        parse_int(5, min_value=10)
    assert str(caught.value) == "Phải lớn hơn hoặc bằng 10."
    with pytest.raises(BadValue) as caught:
        parse_int("1.000.000", max_value=999)
    assert str(caught.value) == "Phải nhỏ hơn hoặc bằng 999."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),  # the English way, both marks present
        ("1.234", Decimal("1234")),
        ("0,25", Decimal("0.25")),
        ("12.5", Decimal("12.5")),
        (12.5, Decimal("12.5")),
        (0.1, Decimal("0.1")),
        (7, Decimal("7")),
        ("-2,5", Decimal("-2.5")),
    ],
)
def test_decimals(value, expected):
    assert parse_decimal(value) == expected


def test_decimal_places_and_bounds():
    assert parse_decimal("0,5", places=1) == Decimal("0.5")
    with pytest.raises(BadValue) as caught:
        parse_decimal("0,25", places=1)
    assert str(caught.value) == "Tối đa 1 chữ số thập phân."
    with pytest.raises(BadValue, match="số âm"):
        parse_decimal("-0,5", min_value=0)
    with pytest.raises(BadValue, match="Số không hợp lệ"):
        parse_decimal("1,2,3.4,5")


@pytest.mark.parametrize(
    "value", ["có", "Có", "CÓ", "co", "x", "X", "1", 1, True, "true", "TRUE", "yes", "đúng", "Dung"]
)
def test_yes(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["không", "Không", "KHONG", "0", 0, False, "false", "no", "sai", "", None, "  "])
def test_no(value):
    assert parse_bool(value) is False


def test_neither_yes_nor_no():
    with pytest.raises(BadValue) as caught:
        parse_bool("có lẽ")
    assert str(caught.value) == "Chỉ ghi “có” hoặc “không”: có lẽ."
    with pytest.raises(BadValue):
        parse_bool(2)


def test_codes_separated_by_semicolons():
    assert split_codes("a; b ;c") == ["a", "b", "c"]
    assert split_codes("HN01;;HN02; ") == ["HN01", "HN02"]
    assert split_codes("HN01; HN01") == ["HN01"]
    assert split_codes("HN01") == ["HN01"]
    assert split_codes(123) == ["123"]
    assert split_codes(123.0) == ["123"]
    assert split_codes(None) == []
    assert split_codes("  ") == []


def test_blank():
    assert is_blank(None) and is_blank("") and is_blank(" \t")
    assert not is_blank(0) and not is_blank("0") and not is_blank(False)
