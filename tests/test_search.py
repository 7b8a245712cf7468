"""Searching without diacritics, and people listed in Vietnamese order of given names."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from phoihop.core.text import fold, person_sort_key
from phoihop.orgunits.models import OrgUnit
from phoihop.orgunits.selectors import person_list, unit_search

HOAN_KIEM = "CCB-X00070"


@pytest.fixture
def admin(demo_user: Callable[[str], Any]) -> Any:
    return demo_user("admin")


def names(queryset: Any) -> list[str]:
    return [p.full_name for p in queryset]


# --- selectors ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_finds_nguyen_van_gau_without_diacritics(admin: Any) -> None:
    assert "Nguyễn Văn Gấu" in names(person_list(user=admin, filters={"q": "nguyen van gau"}))
    assert "Nguyễn Văn Gấu" in names(person_list(user=admin, filters={"q": "NGUYEN VAN GAU"}))
    assert "Nguyễn Văn Gấu" not in names(person_list(user=admin, filters={"q": "nguyen van gao"}))


@pytest.mark.django_db
def test_it_folds_d_with_stroke_when_finding_people(admin: Any) -> None:
    found = names(person_list(user=admin, filters={"q": "duc"}))
    assert "Trần Minh Đức" in found
    assert found == names(person_list(user=admin, filters={"q": "Đức"}))


@pytest.mark.django_db
def test_it_finds_every_unit_with_duc_in_its_name(admin: Any) -> None:
    found = set(unit_search(user=admin, text="duc").values_list("code", flat=True))
    named_duc = {u.code for u in OrgUnit.objects.only("code", "name") if "đức" in u.name.lower()}
    assert len(named_duc) >= 4
    assert named_duc <= found
    assert set(unit_search(user=admin, text="ĐỨC").values_list("code", flat=True)) == found


@pytest.mark.django_db
def test_it_finds_the_hoan_kiem_association_without_diacritics(admin: Any) -> None:
    found = list(unit_search(user=admin, text="hoan kiem").values_list("code", flat=True))
    assert HOAN_KIEM in found
    assert "QS-X00070" in found


@pytest.mark.django_db
def test_it_searches_only_within_the_users_scope(demo_user: Callable[[str], Any]) -> None:
    camau = demo_user("camau.ccb")
    assert HOAN_KIEM not in unit_search(user=camau, text="hoan kiem").values_list("code", flat=True)
    assert "Trần Minh Đức" not in names(person_list(user=camau, filters={"q": "duc"}))


@pytest.mark.django_db
def test_it_finds_nothing_for_an_empty_search(admin: Any) -> None:
    assert not unit_search(user=admin, text="  ").exists()


# --- the search page ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van gau", "Nguyễn Văn Gấu"),
        ("duc", "Trần Minh Đức"),
        ("hoan kiem", "Hội Cựu chiến binh phường Hoàn Kiếm"),
    ],
)
def test_it_finds_without_diacritics_on_the_search_page(
    client_as: Callable[[str], Client], query: str, expected: str
) -> None:
    response = client_as("admin").get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_it_lists_units_named_duc_on_the_search_page(client_as: Callable[[str], Client]) -> None:
    response = client_as("admin").get(reverse("search"), {"q": "duc"})
    units = list(response.context["units"])
    assert units and all("duc" in fold(u.name + " " + u.code) for u in units)
    assert any("Đức" in u.name for u in units)


# --- Vietnamese order --------------------------------------------------------------------


def test_it_sorts_people_by_given_name_then_tone() -> None:
    expected = ["Lê Dung", "Lê Dùng", "Khuất Việt Dũng", "Lê Duy", "Trần Đức"]
    for shuffled in (list(reversed(expected)), expected[2:] + expected[:2]):
        assert sorted(shuffled, key=person_sort_key) == expected


def test_it_sorts_d_with_stroke_after_d_and_vowels_with_marks_after_plain_ones() -> None:
    expected = ["Nguyễn An", "Nguyễn Ân", "Trần Bình", "Lê Dũng", "Phạm Đạt", "Võ Em", "Hồ Ơn", "Lý Ưng", "Đỗ Vinh"]
    assert sorted(reversed(expected), key=person_sort_key) == expected


@pytest.mark.django_db
def test_it_lists_people_in_vietnamese_order_of_given_names(client_as: Callable[[str], Client]) -> None:
    response = client_as("admin").get(reverse("orgunits:person-list"))
    assert response.status_code == 200
    prefix = reverse("orgunits:person-list")
    listed = [html.unescape(n) for n in re.findall(rf'<a href="{prefix}\d+/">([^<]+)</a>', response.content.decode())]
    assert len(listed) >= 8
    assert listed == sorted(listed, key=person_sort_key)
    demo = [n for n in listed if n in DEMO_PEOPLE]
    assert demo == DEMO_PEOPLE


# The demo's people by given name: Dũng, Đức, Gấu, Hải, Hòa, Thắng, Toàn, Vinh.
DEMO_PEOPLE = [
    "Khuất Việt Dũng",
    "Trần Minh Đức",
    "Nguyễn Văn Gấu",
    "Đặng Văn Hải",
    "Nguyễn Thị Hòa",
    "Phạm Tất Thắng",
    "Bùi Văn Toàn",
    "Lê Quang Vinh",
]


# --- fold, as a property -----------------------------------------------------------------

BASE_LETTERS = [*"abcdđeghiklmnopqrstuvxy", "ă", "â", "ê", "ô", "ơ", "ư"]
VOWELS = set("aăâeêioôơuưy")
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # none, huyền, sắc, ngã, hỏi, nặng


@st.composite
def vietnamese_letter(draw: st.DrawFn) -> str:
    letter = draw(st.sampled_from(BASE_LETTERS))
    if letter in VOWELS:
        letter += draw(st.sampled_from(TONES))
    if draw(st.booleans()):
        letter = letter.upper()
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), letter)


vietnamese_word = st.lists(vietnamese_letter(), min_size=1, max_size=7).map("".join)
separators = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"])


@st.composite
def vietnamese_text(draw: st.DrawFn) -> tuple[str, int]:
    words = draw(st.lists(vietnamese_word, min_size=1, max_size=6))
    text = words[0]
    for word in words[1:]:
        text += draw(separators) + word
    return draw(separators | st.just("")) + text + draw(separators | st.just("")), len(words)


@given(vietnamese_text())
def test_it_folds_vietnamese_to_plain_ascii_words(sample: tuple[str, int]) -> None:
    text, word_count = sample
    folded = fold(text)
    assert folded.isascii(), folded
    assert folded == folded.lower()
    assert len(folded.split()) == word_count
    assert folded.split(" ") == folded.split()  # single spaces, none at the ends


@given(vietnamese_text())
def test_it_folds_idempotently(sample: tuple[str, int]) -> None:
    text, _ = sample
    assert fold(fold(text)) == fold(text)


@given(vietnamese_text())
def test_it_folds_the_same_whatever_the_unicode_normal_form(sample: tuple[str, int]) -> None:
    text, _ = sample
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))
