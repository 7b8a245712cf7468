"""FastSelect writes the HTML of Django's forms.Select, without its templates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from phoihop.core.fast_select import FastSelect

PLAIN = [("", "---------"), (1, "Hội CCB phường <Ba Đình>"), (2, 'Xã "Đông" & Tây'), (12, "Mười hai")]
GROUPED = [("Kết quả tìm “ba”", [(1, "Ba Đình"), (3, "Ba Vì")]), ("Gần đơn vị đang chọn", [(12, "Hà Nội"), (2, "x")])]


def normalised(html: str) -> list[str]:
    """The tags and texts in order, each tag's attributes sorted (Django's templates put
    newlines between options and write the attributes in another order)."""
    parts = []
    for token in re.findall(r"<[^>]+>|[^<]+", html):
        token = token.strip()
        if not token:
            continue
        if token.startswith("<") and not token.startswith("</"):
            name, *attrs = re.findall(r'[\w-]+(?:="[^"]*")?', token)
            token = "<" + " ".join([name, *sorted(attrs)]) + ">"
        parts.append(token)
    return parts


@pytest.mark.parametrize("choices", [PLAIN, GROUPED])
@pytest.mark.parametrize("value", [None, "", 2, "12", 99])
def test_it_writes_what_django_writes(choices: list[Any], value: Any) -> None:
    attrs = {"id": "id_unit", "required": True, "class": "form-select"}
    django_html = forms.Select(attrs={"class": "form-select"}, choices=choices).render("unit", value, attrs)
    fast_html = FastSelect(attrs={"class": "form-select"}, choices=choices).render("unit", value, attrs)
    assert normalised(fast_html) == normalised(django_html)


def test_it_escapes_labels_and_marks_one_option_chosen() -> None:
    html = FastSelect(choices=[*PLAIN, (2, "again")]).render("unit", 2)
    assert "&lt;Ba Đình&gt;" in html and "&quot;Đông&quot; &amp; Tây" in html
    assert html.count(" selected") == 1 and '<option value="2" selected>' in html


def test_a_form_field_renders_through_it() -> None:
    class Form(forms.Form):
        unit = forms.ChoiceField(choices=PLAIN, widget=FastSelect(attrs={"class": "form-select"}))

    html = str(Form({"unit": "12"})["unit"])
    assert '<select name="unit" class="form-select"' in html and '<option value="12" selected>' in html
