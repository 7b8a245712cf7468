"""Forms of the conference pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.conferences.extract.sources import ARTICLE_SUFFIXES
from phoihop.conferences.models import Conference, ConferenceKind, SpeechKind
from phoihop.core.forms import IdsChoiceField, VersionedForm
from phoihop.orgunits.models import OrgUnit, Person, Rank
from phoihop.orgunits.pickers import PersonPicker, UnitChoiceField, UnitPicker
from phoihop.programmes.models import Indicator, Phase, Programme
from phoihop.records.models import Proposal


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").replace("\n", ",").split(",") if c.strip()]


def organisers_of_codes(text: str, user: Any) -> list[OrgUnit]:
    """The organising units a form names by code ("QS-HANOI, CCB-HANOI"), among those the user sees."""
    codes = _codes(text)
    units = list(OrgUnit.objects.restrict(user, "view").filter(code__in=codes))
    missing = sorted(set(codes) - {u.code for u in units})
    if missing:
        raise forms.ValidationError(
            _("Không tìm thấy đơn vị trong phạm vi của bạn: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    if not units:
        raise forms.ValidationError(_("Hãy ghi ít nhất một đơn vị tổ chức."))
    return units


class ConferenceForm(VersionedForm, forms.ModelForm):
    organiser_codes = forms.CharField(
        label=_("Đơn vị tổ chức (mã, cách nhau bằng dấu phẩy)"),
        help_text=_("Ví dụ: QS-HANOI, CCB-HANOI"),
    )

    class Meta:
        model = Conference
        fields = [
            "programme",
            "phase",
            "kind",
            "title",
            "held_on",
            "starts_at",
            "ends_at",
            "place",
            "venue",
            "venue_address",
            "conclusions_intro",
            "conclusions",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "conclusions_intro": forms.Textarea(attrs={"rows": 3}),
            "conclusions": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "starts_at": {"invalid": _("Giờ khai mạc không hợp lệ (ví dụ 08:00).")},
            "ends_at": {"invalid": _("Giờ bế mạc không hợp lệ (ví dụ 11:30).")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["programme"].queryset = Programme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["phase"].queryset = Phase.objects.restrict(user, "view").select_related("programme")  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["organiser_codes"] = ", ".join(u.code for u in self.instance.organisers.all())
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_organiser_codes(self) -> list[OrgUnit]:
        return organisers_of_codes(self.cleaned_data["organiser_codes"], self.user)

    def record_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SignNextPhaseForm(forms.Form):
    code = forms.RegexField(label=_("Mã giai đoạn mới"), regex=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
    name = forms.CharField(label=_("Tên hiển thị"), max_length=100)
    start = forms.DateField(label=_("Bắt đầu"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Kết thúc"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("Số văn bản ký kết"), max_length=100, required=False)
    retired_indicators = IdsChoiceField(
        label=_("Chỉ tiêu thôi áp dụng từ giai đoạn mới"), queryset=Indicator.objects.none(), required=False
    )
    proposals = IdsChoiceField(
        label=_("Đề xuất của giai đoạn được tổng kết, tiếp thu làm nhiệm vụ giai đoạn mới"),
        queryset=Proposal.objects.none(),
        required=False,
    )
    document = forms.FileField(label=_("Văn bản đã ký (PDF, Word)"), required=False)

    def __init__(self, *args: Any, conference: Conference, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retired_indicators"].queryset = Indicator.objects.restrict(user, "view").filter(  # type: ignore[attr-defined]
            programme=conference.programme, retired_in__isnull=True
        )
        self.fields["proposals"].queryset = Proposal.objects.restrict(user, "view").filter(  # type: ignore[attr-defined]
            phase=conference.phase
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


# --- attendance and papers ------------------------------------------------------------------


class PersonPickField(forms.ModelChoiceField):
    """A person among those the user sees, chosen with a searchable picker (core/widgets.py)."""

    def label_from_instance(self, obj: Any) -> str:
        parts = [obj.rank_label, obj.full_name]
        where = obj.unit.display_name if obj.unit_id and obj.unit else obj.affiliation
        label = " ".join(p for p in parts if p)
        return f"{label} — {where}" if where else label


def _positions_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _select(**attrs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select form-select-sm", **attrs})


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm", **attrs})


def _lines() -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2})


RANK_CHOICES = [("", _("— theo hồ sơ hiện tại —")), *Rank.choices]
EDIT_RANK_CHOICES = [("", _("— không có —")), *Rank.choices]


class _PersonRowForm(forms.Form):
    """What adding a co-chair or a person delegate shares: the person, the rank and positions of the day."""

    person = PersonPickField(
        label=_("Người (gõ tên để tìm, không cần dấu)"),
        queryset=Person.objects.none(),
        required=False,
        widget=PersonPicker(action="view", attrs={"class": "form-select form-select-sm"}),
    )
    rank = forms.ChoiceField(label=_("Cấp bậc khi đó"), choices=RANK_CHOICES, required=False, widget=_select())
    positions = forms.CharField(
        label=_("Chức vụ khi đó"),
        required=False,
        widget=_lines(),
        help_text=_("Mỗi chức vụ một dòng; để trống thì lấy chức vụ hiện tại trong hồ sơ."),
    )
    order = forms.IntegerField(
        label=_("Thứ tự"),
        required=False,
        min_value=0,
        max_value=999,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, user: Any, query: str = "", **kwargs: Any) -> None:
        # ``query``: no longer used (the person is found by typing in the picker); kept for callers.
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.restrict(user, "view")  # type: ignore[attr-defined]

    def snapshot(self) -> dict[str, Any]:
        """rank/positions for the service: None means "the person's current ones"."""
        data = self.cleaned_data
        lines = _positions_lines(data["positions"])
        return {"rank": data["rank"] or None, "positions": lines or None, "order": data["order"] or 0}


class CoChairAddForm(_PersonRowForm):
    pass


class DelegateAddForm(_PersonRowForm):
    name = forms.CharField(
        label=_("Họ và tên khách mời (nếu không chọn người)"), max_length=128, required=False, widget=_text()
    )
    organisation = forms.CharField(label=_("Cơ quan"), max_length=255, required=False, widget=_text())
    title = forms.CharField(label=_("Chức vụ (khách mời)"), max_length=255, required=False, widget=_text())
    is_guest_of_honour = forms.BooleanField(
        label=_("Khách mời danh dự"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    field_order = ["person", "name", "organisation", "title", "is_guest_of_honour", "rank", "positions", "order"]


class CoChairEditForm(VersionedForm):
    rank_at_event = forms.ChoiceField(
        label=_("Cấp bậc khi đó"), choices=EDIT_RANK_CHOICES, required=False, widget=_select()
    )
    positions_at_event = forms.CharField(
        label=_("Chức vụ khi đó"), required=False, widget=_lines(), help_text=_("Mỗi chức vụ một dòng.")
    )
    order = forms.IntegerField(
        label=_("Thứ tự"),
        required=False,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, row: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "rank_at_event": row.rank_at_event,
                "positions_at_event": "\n".join(row.positions_at_event),
                "order": row.order,
            },
        )
        super().__init__(*args, **kwargs)
        self.carry_version(row)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["positions_at_event"] = _positions_lines(data["positions_at_event"])
        if data["order"] is None:
            del data["order"]
        return data


class DelegateEditForm(CoChairEditForm):
    name = forms.CharField(label=_("Họ và tên khách mời"), max_length=128, required=False, widget=_text())
    organisation = forms.CharField(label=_("Cơ quan"), max_length=255, required=False, widget=_text())
    title = forms.CharField(label=_("Chức vụ (khách mời)"), max_length=255, required=False, widget=_text())
    is_guest_of_honour = forms.BooleanField(
        label=_("Khách mời danh dự"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args: Any, row: Any, **kwargs: Any) -> None:
        super().__init__(*args, row=row, **kwargs)
        for name in ("name", "organisation", "title", "is_guest_of_honour"):
            self.initial.setdefault(name, getattr(row, name))
        if row.person_id:
            # A person of the record: their name comes from the record.
            del self.fields["name"]


class PaperForm(VersionedForm):
    title = forms.CharField(label=_("Tên tham luận"), max_length=500, required=False, widget=_text())
    author = PersonPickField(
        label=_("Tác giả (chọn người: gõ tên để tìm, không cần dấu)"),
        queryset=Person.objects.none(),
        required=False,
        widget=PersonPicker(action="view", attrs={"class": "form-select form-select-sm"}),
    )
    author_name = forms.CharField(
        label=_("Tác giả (ghi tên, nếu không chọn người)"), max_length=128, required=False, widget=_text()
    )
    unit_code = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=UnitPicker(action="view", attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": _("Không tìm thấy đơn vị này trong phạm vi của bạn.")},
    )
    file = forms.FileField(
        label=_("Tệp (PDF, Word, Excel, ảnh)"),
        required=False,
        widget=forms.FileInput(attrs={"class": "form-control form-control-sm"}),
    )
    order = forms.IntegerField(
        label=_("Thứ tự"),
        required=False,
        min_value=0,
        max_value=999,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, user: Any, query: str = "", paper: Any = None, **kwargs: Any) -> None:
        if paper is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": paper.title,
                    "author": paper.author_id,
                    "author_name": paper.author_name,
                    "unit_code": paper.unit_id,
                    "order": paper.order,
                },
            )
        super().__init__(*args, **kwargs)
        if paper is not None:
            self.carry_version(paper)
        self.user = user
        self.fields["author"].queryset = Person.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["unit_code"].queryset = OrgUnit.objects.restrict(user, "view")  # type: ignore[attr-defined]

    def paper_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "author": data["author"],
            "author_name": data["author_name"],
            "unit": data["unit_code"],
            "order": data["order"] or 0,
        }


# --- the programme of the conference and its speeches ------------------------------------------


def _time() -> forms.TimeInput:
    return forms.TimeInput(attrs={"class": "form-control form-control-sm", "type": "time"}, format="%H:%M")


def _order_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Thứ tự"),
        required=False,
        min_value=0,
        max_value=999,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )


class AgendaItemForm(VersionedForm):
    at = forms.TimeField(
        label=_("Thời gian"),
        required=False,
        widget=_time(),
        error_messages={"invalid": _("Thời gian không hợp lệ (ví dụ 08:30).")},
    )
    item = forms.CharField(label=_("Nội dung"), max_length=500, required=False, widget=_text())
    presenter = forms.CharField(label=_("Người trình bày"), max_length=255, required=False, widget=_text())
    order = _order_field()

    def __init__(self, *args: Any, row: Any = None, **kwargs: Any) -> None:
        if row is not None:
            kwargs.setdefault(
                "initial", {"at": row.at, "item": row.item, "presenter": row.presenter, "order": row.order}
            )
        super().__init__(*args, **kwargs)
        if row is not None:
            self.carry_version(row)

    def item_data(self) -> dict[str, Any]:
        data = self.edited_data()
        data["order"] = data["order"] or 0
        return data


class SpeechForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=SpeechKind.choices, widget=_select())
    person = PersonPickField(
        label=_("Người phát biểu (gõ tên để tìm, không cần dấu)"),
        queryset=Person.objects.none(),
        required=False,
        widget=PersonPicker(action="view", attrs={"class": "form-select form-select-sm"}),
    )
    speaker_name = forms.CharField(
        label=_("Họ và tên người phát biểu (nếu không chọn người)"), max_length=128, required=False, widget=_text()
    )
    speaker_title = forms.CharField(
        label=_("Chức vụ, cơ quan (người ghi tên)"), max_length=255, required=False, widget=_text()
    )
    rank = forms.ChoiceField(label=_("Cấp bậc khi đó"), choices=RANK_CHOICES, required=False, widget=_select())
    positions = forms.CharField(
        label=_("Chức vụ khi đó"),
        required=False,
        widget=_lines(),
        help_text=_("Mỗi chức vụ một dòng; để trống thì lấy chức vụ hiện tại trong hồ sơ."),
    )
    title = forms.CharField(label=_("Tiêu đề bài phát biểu"), max_length=500, required=False, widget=_text())
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 5}),
        help_text=_("Bản tin dẫn lại đoạn tóm tắt này; mỗi đoạn một dòng."),
    )
    file = forms.FileField(
        label=_("Tệp toàn văn (PDF, Word)"),
        required=False,
        widget=forms.FileInput(attrs={"class": "form-control form-control-sm"}),
    )
    order = _order_field()

    def __init__(self, *args: Any, user: Any, row: Any = None, **kwargs: Any) -> None:
        if row is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": row.kind,
                    "person": row.person_id,
                    "speaker_name": row.speaker_name,
                    "speaker_title": row.speaker_title,
                    "rank": row.rank_at_event,
                    "positions": "\n".join(row.positions_at_event),
                    "title": row.title,
                    "summary": row.summary,
                    "order": row.order,
                },
            )
        super().__init__(*args, **kwargs)
        self.row = row
        if row is not None:
            self.carry_version(row)
        self.fields["person"].queryset = Person.objects.restrict(user, "view")  # type: ignore[attr-defined]

    def new_data(self) -> dict[str, Any]:
        """Arguments of ``speech_add`` (the file apart)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "person": data["person"],
            "speaker_name": data["speaker_name"],
            "speaker_title": data["speaker_title"],
            "rank": data["rank"] or None,
            "positions": _positions_lines(data["positions"]) or None,
            "title": data["title"],
            "summary": data["summary"],
            "order": data["order"] or 0,
        }

    def changes(self) -> dict[str, Any]:
        """The data of ``speech_update``: a person named anew takes their current rank and positions
        unless the form says otherwise."""
        new = self.new_data()
        data: dict[str, Any] = {
            key: new[key] for key in ("kind", "person", "speaker_name", "speaker_title", "title", "summary", "order")
        }
        if new["person"] is not None:
            data["rank_at_event"] = self.cleaned_data["rank"]
            data["positions_at_event"] = _positions_lines(self.cleaned_data["positions"])
            if self.row is None or new["person"].pk != self.row.person_id:
                if not self.cleaned_data["rank"]:
                    data.pop("rank_at_event")
                if not data["positions_at_event"]:
                    data.pop("positions_at_event")
        return data


# --- a conference from a news report (issue 16) ----------------------------------------------

ARTICLE_MAX_CHARS = 200_000


class ArticleReadForm(forms.Form):
    """The article to read: pasted, or a file."""

    text = forms.CharField(
        label=_("Dán nội dung bài viết"),
        required=False,
        max_length=ARTICLE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control"}),
    )
    file = forms.FileField(
        label=_("hoặc chọn tệp (.txt, .docx, .pdf có lớp chữ)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ",".join(ARTICLE_SUFFIXES)}),
    )
    source_name = forms.CharField(
        label=_("Nguồn (địa chỉ trang, tên báo)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Hãy dán nội dung bài viết hoặc chọn một tệp."))
        return data


class ArticleConferenceForm(forms.Form):
    """The conference read from an article, as the user corrects it before confirming."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=ARTICLE_MAX_CHARS)
    # A conference already recorded that the article reports (the page offers it): completed
    # from the article instead of recording it again.
    into = forms.ModelChoiceField(queryset=Conference.objects.none(), required=False, widget=forms.HiddenInput)
    source_name = forms.CharField(label=_("Nguồn (địa chỉ trang, tên báo)"), required=False, max_length=500)
    programme = forms.ModelChoiceField(label=_("Chương trình"), queryset=Programme.objects.none())
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=ConferenceKind.choices)
    title = forms.CharField(label=_("Tên hội nghị"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    held_on = forms.DateField(
        label=_("Ngày tổ chức"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Địa danh"), max_length=255)
    phase = forms.ModelChoiceField(label=_("Giai đoạn được sơ kết, tổng kết"), queryset=Phase.objects.none())
    signed_years = forms.RegexField(
        label=_("Giai đoạn được ký kết tại hội nghị"),
        regex=r"^\s*(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\s*$",
        required=False,
        help_text=_("Ví dụ 2022-2027; để trống nếu hội nghị không ký kết."),
        error_messages={"invalid": _("Giai đoạn phải ghi dạng 2022-2027.")},
    )
    organiser_codes = forms.CharField(
        label=_("Đơn vị tổ chức (mã, cách nhau bằng dấu phẩy)"), help_text=_("Ví dụ: TCCT, CCB-TW")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["programme"].queryset = Programme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["phase"].queryset = Phase.objects.restrict(user, "view").select_related("programme")  # type: ignore[attr-defined]
        self.fields["into"].queryset = Conference.objects.restrict(user, "change")  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_organiser_codes(self) -> list[OrgUnit]:
        return organisers_of_codes(self.cleaned_data["organiser_codes"], self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme, phase = data.get("programme"), data.get("phase")
        if programme is not None and phase is not None and phase.programme_id != programme.pk:
            self.add_error("phase", _("Giai đoạn phải thuộc chương trình đã chọn."))
        return data

    def conference_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("programme", "phase", "kind", "title", "held_on", "place")}


PERSON_NEW = "new"
PERSON_GUEST = "guest"


class ArticlePersonForm(forms.Form):
    """One person the article names: their role, rank and positions of the day, and who they are
    in the record (one of the namesakes found, a new person, or a guest named only)."""

    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[("chair", _("Đồng chủ trì")), ("delegate", _("Đại biểu")), ("skip", _("Không ghi"))],
        widget=_select(),
    )
    name = forms.CharField(label=_("Họ và tên"), max_length=128, widget=_text())
    rank = forms.ChoiceField(
        label=_("Cấp bậc khi đó"), choices=[("", "—"), *Rank.choices], required=False, widget=_select()
    )
    positions = forms.CharField(label=_("Chức vụ khi đó (mỗi chức vụ một dòng)"), required=False, widget=_lines())
    person = forms.ChoiceField(label=_("Trong danh sách người"), required=False, widget=_select())
    new_in = forms.CharField(
        label=_("Đơn vị của người mới (mã)"),
        required=False,
        max_length=40,
        widget=_text(),
        help_text=_("Chỉ cần khi thêm người mới."),
    )

    def __init__(self, *args: Any, user: Any, namesakes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        name = self.data.get(self.add_prefix("name"), "") if self.is_bound else self.initial.get("name", "")
        self.namesakes = list(namesakes(str(name)))
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            *[(str(p.pk), _label(p)) for p in self.namesakes],
            (PERSON_NEW, _("Người mới: thêm vào danh sách người")),
            (PERSON_GUEST, _("Khách mời: chỉ ghi họ tên, chức vụ")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["positions"] = _positions_lines(data.get("positions", ""))
        choice = data.get("person") or PERSON_GUEST
        data["person_row"] = next((p for p in self.namesakes if str(p.pk) == choice), None)
        data["new_unit"] = None
        if data.get("role") == "chair" and choice == PERSON_GUEST:
            self.add_error("person", _("Người đồng chủ trì phải là một người trong danh sách hoặc người mới."))
        if choice == PERSON_NEW and data.get("role") != "skip":
            code = (data.get("new_in") or "").strip()
            unit = OrgUnit.objects.restrict(self.user, "view").filter(code__iexact=code).first() if code else None
            if unit is None:
                self.add_error("new_in", _("Hãy ghi mã một đơn vị trong phạm vi của bạn cho người mới."))
            data["new_unit"] = unit
        return data


def _label(person: Person) -> str:
    where = person.unit.short_name or person.unit.name if person.unit_id and person.unit else person.affiliation
    positions = "; ".join(person.positions[:2])
    return " · ".join(p for p in (person.title_line, positions, where) if p)


ArticlePeopleFormSet = forms.formset_factory(ArticlePersonForm, extra=0, max_num=60, validate_max=True)
