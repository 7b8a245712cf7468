"""The error messages a person reads are natural Vietnamese (issue 13, item 6).

Django's, DRF's and django-filter's own Vietnamese catalogues say "Nhập một số tổng thể." for an
integer and "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ." for a minimum, or leave a message in
English; phoihop/locale/vi/LC_MESSAGES/django.po says it again, naturally.

Every form class of every ``phoihop.*.forms`` module is bound to several kinds of bad data (all
empty, letters in numbers, negatives, huge numbers, bad dates, too-long strings, empty files),
and every API route that creates records is sent the same; no message may contain a phrase of
``BANNED`` (the bad phrases of those catalogues, and English). Removing the override catalogue
makes these tests fail.
"""

from __future__ import annotations

import ast
import gettext
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict

import phoihop

pytestmark = pytest.mark.django_db

DEMO = "a test builds forms and their choices from the demo records"

# Phrases of Django's, DRF's and django-filter's Vietnamese catalogues that read badly, and
# English that leaks when a catalogue has no translation.
BANNED = [
    "số tổng thể",
    "lớn hơn hoặc bằng với",
    "nhỏ hơn hoặc bằng với",
    "Đảm bảo",
    "Hãy chắc chắn rằng",
    "chọn một lựa chọn hợp lệ",
    "lựa chọn khả thi",
    "chỉ có tối đa",
    "để trắng",
    "là rỗng",
    "đệ trình",
    "mẫu đơn",
    "trùng lặp cho",
    "Nhập địa chỉ email.",
    "Nhập một thời gian hợp lệ",
    "ngày/thời gian",
    "Vui lòng điền vào",
    "khung thông tin",
    "để thay thế",
    "định dạng JSON",
    "hoặc để ô chọn trắng",
    # English
    "Ensure ",
    "Enter a",
    "Select a",
    "This field",
    "must be",
    "is required",
    "not a valid",
    "has wrong format",
    "may not be",
    "Please ",
]

HUGE = "99999999999999999999"
LONG = "Dài quá " * 800
# Each kind of bad data: the value given to every field of the form (None: the field is left out).
BAD_DATA: dict[str, str | None] = {
    "empty": None,
    "blank": "",
    "spaces": "   ",
    "letters": "abc",
    "negative": "-5",
    "huge": HUGE,
    "fraction": "1,5",
    "bad-date": "2022-02-30",
    "vn-date": "31/02/2022",
    "too-long": LONG,
}

ECHOED = [value for value in BAD_DATA.values() if value]


def _bad_messages(messages: list[str]) -> list[str]:
    bad = []
    for message in messages:
        # What the user typed, echoed in a message ("Không có “   ” trong danh sách."), is not its text.
        echoed = message
        for value in sorted(ECHOED, key=len, reverse=True):
            echoed = echoed.replace(f"“{value}”", "“…”").replace(f'"{value}"', "“…”")
        message = echoed
        if message != message.strip() or "  " in message or " ." in message or " ," in message:
            bad.append(message)
        elif any(phrase.casefold() in message.casefold() for phrase in BANNED):
            bad.append(message)
    return bad


# --- the forms ---------------------------------------------------------------------------------


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for package in pkgutil.iter_modules(phoihop.__path__):
        if not package.ispkg:
            continue
        name = f"phoihop.{package.name}.forms"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
                and not value.__name__.startswith("_")
            ):
                found[f"{name}.{value.__name__}"] = value
    return [found[key] for key in sorted(found)]


# Forms not bound here, with the reason.
SKIPPED: dict[str, str] = {
    "phoihop.core.forms.VersionedForm": "a base class without fields of its own (the version field is tested "
    "through every VersionedForm subclass)",
    "phoihop.records.forms.ScopedRecordForm": "an abstract ModelForm (no model); its subclasses are tested",
}


def _providers(user: Any) -> dict[str, Callable[[], Any]]:
    """How to get each keyword argument the forms' constructors ask for, from the demo data."""
    from phoihop.commendations.models import Nomination
    from phoihop.conferences.models import Conference
    from phoihop.orgunits.models import OrgUnit, OrgUnitLevel
    from phoihop.programmes.models import Indicator, Phase, PhaseStatus, Programme
    from phoihop.reporting.models import Report, ReportingPeriod

    def unit() -> Any:
        return OrgUnit.objects.get(code="CCB-HANOI")

    def phase() -> Any:
        return Phase.objects.unrestricted(DEMO).filter(status=PhaseStatus.ACTIVE).first()

    return {
        "user": lambda: user,
        "unit": unit,
        "sender": unit,
        "units": lambda: OrgUnit.objects.filter(code__startswith="CCB-HANOI"),
        "phase": phase,
        "programme": lambda: Programme.objects.unrestricted(DEMO).first(),
        "phases": lambda: Phase.objects.unrestricted(DEMO).all(),
        "indicators": lambda: list(Indicator.objects.unrestricted(DEMO).all()[:3]),
        "current": lambda: {},
        # ArticlePersonForm: the people of the record called by a name (none: a new person or a guest).
        "namesakes": lambda: lambda name: [],
        "nomination": lambda: Nomination.objects.unrestricted(DEMO).first(),
        "conference": lambda: Conference.objects.unrestricted(DEMO).first(),
        "period": lambda: ReportingPeriod.objects.unrestricted(DEMO).first(),
        "report": lambda: Report.objects.unrestricted(DEMO).first(),
        "partners": lambda: [unit()],
        "initial_unit": unit,
        "levels": lambda: OrgUnitLevel.objects.filter(organisation__code="ccb", closed=False),
    }


def _row_for(form_class: type) -> Any:
    from phoihop.conferences.models import CoChair, Delegate

    model = Delegate if "Delegate" in form_class.__name__ else CoChair
    return model.objects.unrestricted(DEMO).first()


def _required_kwargs(form_class: type[forms.BaseForm], user: Any) -> dict[str, Any]:
    providers = _providers(user)
    kwargs: dict[str, Any] = {}
    for klass in form_class.__mro__:
        init = vars(klass).get("__init__")
        if init is None:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if name in ("self", "data", "files") or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if name in kwargs or parameter.default is not parameter.empty:
                continue
            if name == "row":
                kwargs[name] = _row_for(form_class)
            elif name in providers:
                kwargs[name] = providers[name]()
            else:
                raise LookupError(f"{form_class.__name__} asks for {name!r}: add a provider or list it in SKIPPED")
            assert kwargs[name] is not None, (form_class.__name__, name, "the demo data has none")
    if issubclass(form_class, forms.Form) and "user" in inspect.signature(form_class).parameters:
        kwargs.setdefault("user", user)
    return kwargs


def _bound(form_class: type[forms.BaseForm], user: Any, value: str | None) -> forms.BaseForm:
    kwargs = _required_kwargs(form_class, user)
    # Built once without data to learn the fields (some are added in __init__).
    fields = _empty(form_class, kwargs).fields
    data: MultiValueDict[str, Any] = MultiValueDict()
    files: MultiValueDict[str, Any] = MultiValueDict()
    if value is not None:
        for name, field in fields.items():
            if isinstance(field, forms.FileField):
                files.setlist(name, [SimpleUploadedFile("tep-" + "x" * 300 + ".pdf", b"")])
                continue
            data.setlist(name, [value])
            widget = field.widget
            if isinstance(widget, forms.MultiWidget):
                for suffix in widget.widgets_names:
                    data.setlist(name + suffix, [value])
    if files:
        kwargs["files"] = files
    return form_class(data=data, **kwargs)


def _empty(form_class: type[forms.BaseForm], kwargs: dict[str, Any]) -> forms.BaseForm:
    data = inspect.signature(form_class).parameters.get("data")
    if data is not None and data.default is data.empty:
        return form_class(data=MultiValueDict(), **kwargs)  # it must be given data
    return form_class(**kwargs)


def _messages(errors: Any) -> list[str]:
    return [str(item["message"]) for items in errors.get_json_data().values() for item in items]


FORM_CLASSES = _form_classes()


def test_it_finds_the_forms_of_every_app() -> None:
    names = {form_class.__module__ for form_class in FORM_CLASSES}
    assert {"phoihop.activities.forms", "phoihop.entry.forms", "phoihop.commendations.forms"} <= names
    assert len(FORM_CLASSES) >= 30


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
def test_no_form_error_reads_like_a_machine(form_class: type[forms.BaseForm], demo_user: Any) -> None:
    key = f"{form_class.__module__}.{form_class.__name__}"
    if key in SKIPPED:
        pytest.skip(SKIPPED[key])
    user = demo_user("admin")
    seen: dict[str, list[str]] = {}
    with translation.override("vi"):
        for kind, value in BAD_DATA.items():
            form = _bound(form_class, user, value)
            form.is_valid()
            messages = _messages(form.errors)
            # Rendered as a page renders them, too.
            assert str(form.errors) or not messages
            seen[kind] = messages
    bad = {kind: _bad_messages(messages) for kind, messages in seen.items() if _bad_messages(messages)}
    assert bad == {}
    fields = _empty(form_class, _required_kwargs(form_class, user)).fields.values()
    if any(field.required for field in fields):
        assert any(seen.values()), f"{key} accepted every kind of bad data: the test proves nothing for it"


def test_the_messages_people_met_read_naturally() -> None:
    class Form(forms.Form):
        participants = forms.IntegerField(min_value=0, max_value=100_000)
        day = forms.DateField()
        kind = forms.ChoiceField(choices=[("a", "A")])

    with translation.override("vi"):
        assert _messages(Form({"participants": "mười", "day": "x", "kind": "b"}).errors) == [
            "Hãy nhập một số nguyên.",
            "Nhập một ngày hợp lệ.",
            "Không có “b” trong danh sách. Hãy chọn lại.",
        ]
        assert _messages(Form({"participants": "-1"}).errors)[0] == "Giá trị phải từ 0 trở lên."
        assert _messages(Form({"participants": "9999999"}).errors)[0] == "Giá trị không được vượt quá 100000."
    with translation.override("en"):
        assert _messages(Form({"participants": "-1"}).errors)[0] == ("Ensure this value is greater than or equal to 0.")


def test_the_banned_list_catches_what_the_libraries_say() -> None:
    # Guards the guard: Django's own Vietnamese for these fails the check above.
    assert _bad_messages(["Nhập một số tổng thể."]) == ["Nhập một số tổng thể."]
    assert _bad_messages(["Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ."])
    assert _bad_messages(["Ensure this value is greater than or equal to 0."])
    assert _bad_messages([" Danh sách này không thể để trống."])
    assert _bad_messages(["Giá trị phải từ 0 trở lên.", "Hãy nhập một số nguyên."]) == []


# --- the API ------------------------------------------------------------------------------------


def _create_routes() -> list[tuple[str, Any]]:
    from phoihop.api.routes import ROUTES

    return [(basename, viewset) for _prefix, basename, viewset in ROUTES if hasattr(viewset, "create")]


def _field_names(viewset: Any) -> list[str]:
    serializer_class = getattr(viewset, "serializer_class", None)
    if serializer_class is None:
        return []
    serializer = serializer_class(context={"request": None})
    return [name for name, field in serializer.fields.items() if not field.read_only]


def _strings(body: Any) -> Iterator[str]:
    if isinstance(body, dict):
        for value in body.values():
            yield from _strings(value)
    elif isinstance(body, list):
        for value in body:
            yield from _strings(value)
    elif isinstance(body, str):
        yield body


API_BAD_DATA: dict[str, Any] = {
    "empty": None,
    "blank": "",
    "null": "null",
    "letters": "abc",
    "negative": -5,
    "huge": int(HUGE),
    "bad-date": "2022-02-30",
    "vn-date": "31/02/2022",
    "too-long": LONG,
    "list": ["abc"],
    "object": {"a": 1},
}


@pytest.mark.parametrize("basename", [basename for basename, _viewset in _create_routes()])
def test_no_api_error_reads_like_a_machine(basename: str, api_client_as: Callable[[str], Any]) -> None:
    viewset = dict(_create_routes())[basename]
    names = _field_names(viewset)
    url = reverse(f"api:{basename}-list")
    refused: dict[str, list[str]] = {}
    for username in ("admin", "hanoi.ccb"):
        client = api_client_as(username)
        for kind, value in API_BAD_DATA.items():
            payload = {} if value is None else {name: (None if value == "null" else value) for name in names}
            response = client.post(url, payload, format="json", HTTP_ACCEPT_LANGUAGE="vi")
            assert response.status_code < 500, (basename, kind, response.content[:300])
            if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
                refused[f"{username}/{kind}"] = list(_strings(response.json()))
    assert refused, f"{basename}: nothing was refused, the test proves nothing"
    bad = {kind: _bad_messages(messages) for kind, messages in refused.items() if _bad_messages(messages)}
    assert bad == {}


# --- the catalogue ------------------------------------------------------------------------------


def _po_entries(path: Path) -> dict[str, str]:
    """msgid (the singular one) -> msgstr (msgstr[0]) of a hand-written .po file."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if current.get("msgid"):
                entries[current["msgid"]] = current.get("msgstr", current.get("msgstr[0]", ""))
            current, key = {}, ""
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _space, literal = line.partition(" ")
        current[key] = ast.literal_eval(literal)
    return entries


def test_the_compiled_catalogue_matches_its_source() -> None:
    # The .mo is committed, as the English one is: editing the .po without compiling it is caught.
    po = Path(phoihop.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po)
    assert len(entries) > 100
    with po.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert {msgid: catalogue.gettext(msgid) for msgid in entries} == entries
