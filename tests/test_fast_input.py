"""FastTextInput writes the HTML of Django's forms.TextInput, without its templates."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from phoihop.core.fast_input import FastTextInput

OWN = {"class": "form-control text-end", "inputmode": "numeric", "aria-label": 'Số "hội viên" <mới> & cũ'}


@pytest.mark.parametrize("value", [None, "", 0, 1234, "1.234", '"><script>x</script>'])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_v_1", "required": True},
        {"id": "id_v_1", "aria-invalid": "true", "disabled": False, "aria-describedby": "id_v_1_error"},
    ],
)
def test_it_writes_what_django_writes(value: Any, attrs: dict[str, Any] | None) -> None:
    django_html = forms.TextInput(attrs=OWN).render("v_1", value, attrs)
    fast_html = FastTextInput(attrs=OWN).render("v_1", value, attrs)
    assert fast_html == django_html


def test_it_escapes_what_it_writes() -> None:
    html = FastTextInput(attrs=OWN).render('v"1', '"><b>', {"id": "x"})
    assert "<b>" not in html
    assert 'name="v&quot;1"' in html
    assert 'value="&quot;&gt;&lt;b&gt;"' in html
