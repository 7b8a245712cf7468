"""Figures: a unit's subtree totals for a date range, and the same by child unit.

Totals are read from the roll-up rows (``phoihop.figures.selectors.totals``): exact the moment
a value is saved. The unit must be one whose figures the user may read
(``phoihop.figures.permissions.figure_units``); any other code answers 404, like a code that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin
from phoihop.api.fields import resolve_programme
from phoihop.figures.dashboard import side_units
from phoihop.figures.periods import out_of_bounds
from phoihop.figures.permissions import figure_units
from phoihop.figures.selectors import View, child_units, totals
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Programme

DATE_ERRORS: dict[str, Any] = {
    "invalid": gettext_lazy("Ngày không hợp lệ; hãy ghi theo dạng YYYY-MM-DD, ví dụ 2022-09-23."),
    "required": gettext_lazy("Thiếu ngày; hãy ghi theo dạng YYYY-MM-DD, ví dụ 2022-09-23."),
    "datetime": gettext_lazy("Chỉ ghi ngày, không ghi giờ (dạng YYYY-MM-DD)."),
}


class FiguresQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(
        label=gettext_lazy("Đơn vị (mã): tổng của đơn vị và toàn bộ cấp dưới"),
        error_messages={
            "required": gettext_lazy("Hãy cho biết đơn vị (tham số unit: mã đơn vị)."),
            "blank": gettext_lazy("Hãy cho biết đơn vị (tham số unit: mã đơn vị)."),
        },
    )
    programme = serializers.CharField(
        required=False, label=gettext_lazy("Chương trình (mã); mặc định: chương trình đầu tiên có đơn vị tham gia")
    )
    indicator = serializers.CharField(
        required=False, label=gettext_lazy("Chỉ tiêu (mã); bỏ trống: mọi chỉ tiêu của chương trình")
    )
    start = serializers.DateField(label=gettext_lazy("Từ ngày (YYYY-MM-DD)"), error_messages=DATE_ERRORS)
    end = serializers.DateField(
        label=gettext_lazy("Đến ngày (YYYY-MM-DD), tính cả ngày này"), error_messages=DATE_ERRORS
    )
    view = serializers.ChoiceField(
        choices=[
            ("today", gettext_lazy("Cây đơn vị hiện nay (đơn vị kế thừa cộng cả số liệu của đơn vị cũ)")),
            ("historical", gettext_lazy("Đơn vị tại thời điểm phát sinh số liệu")),
        ],
        default="today",
        label=gettext_lazy("Cách xem cây đơn vị"),
        error_messages={
            "invalid_choice": gettext_lazy("Cách xem “{input}” không hợp lệ; chỉ nhận today hoặc historical.")
        },
    )
    approved = serializers.ChoiceField(
        choices=[("0", gettext_lazy("Mọi số liệu đã gửi")), ("1", gettext_lazy("Chỉ số liệu đã duyệt"))],
        default="0",
        label=gettext_lazy("Chỉ tính số liệu đã duyệt"),
        error_messages={"invalid_choice": gettext_lazy("Tham số approved chỉ nhận 0 hoặc 1, không nhận “{input}”.")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("Ngày kết thúc không được trước ngày bắt đầu.")})
        if out_of_bounds(attrs["start"], attrs["end"]):
            raise serializers.ValidationError(_("Chỉ nhận ngày từ 1/1/1900 đến 31/12/2100."))
        return attrs


class FigureIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(label=gettext_lazy("Mã chỉ tiêu"))
    name = serializers.CharField(label=gettext_lazy("Tên chỉ tiêu"))
    field = serializers.CharField(label=gettext_lazy("Lĩnh vực (mã)"))
    unit_of_measure = serializers.CharField(label=gettext_lazy("Đơn vị tính"))


class _FiguresHeadSerializer(serializers.Serializer):
    unit = serializers.CharField(label=gettext_lazy("Đơn vị (mã)"))
    unit_name = serializers.CharField(label=gettext_lazy("Tên đơn vị"))
    programme = serializers.CharField(label=gettext_lazy("Chương trình (mã)"))
    indicator = serializers.CharField(allow_null=True, label=gettext_lazy("Chỉ tiêu được hỏi (mã), hoặc null"))
    start = serializers.DateField()
    end = serializers.DateField()
    view = serializers.CharField()
    approved = serializers.BooleanField()
    indicators = FigureIndicatorSerializer(many=True, label=gettext_lazy("Các chỉ tiêu trong kết quả"))


class FiguresSerializer(_FiguresHeadSerializer):
    value = serializers.IntegerField(
        allow_null=True, label=gettext_lazy("Tổng của chỉ tiêu được hỏi (null khi hỏi mọi chỉ tiêu)")
    )
    values = serializers.DictField(child=serializers.IntegerField(), label=gettext_lazy("Tổng theo mã chỉ tiêu"))


class ChildFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField(label=gettext_lazy("Đơn vị cấp dưới (mã)"))
    name = serializers.CharField(label=gettext_lazy("Tên đơn vị"))
    closed = serializers.BooleanField(label=gettext_lazy("Đã thôi hoạt động"))
    value = serializers.IntegerField(allow_null=True)
    values = serializers.DictField(child=serializers.IntegerField())


class FiguresByChildSerializer(_FiguresHeadSerializer):
    rows = ChildFiguresSerializer(many=True, label=gettext_lazy("Một dòng cho mỗi đơn vị cấp dưới"))


class SideFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField(label=gettext_lazy("Đơn vị (mã)"))
    name = serializers.CharField(label=gettext_lazy("Tên đơn vị"))
    organisation = serializers.CharField(label=gettext_lazy("Tổ chức (mã)"))
    visible = serializers.BooleanField(
        label=gettext_lazy("Trong phạm vi xem"),
        help_text=gettext_lazy("false: người dùng không được xem số liệu của bên này; value và values là null"),
    )
    value = serializers.IntegerField(allow_null=True)
    values = serializers.DictField(child=serializers.IntegerField(), allow_null=True)


class FiguresBySideSerializer(_FiguresHeadSerializer):
    sides = SideFiguresSerializer(
        many=True, label=gettext_lazy("Đơn vị và đơn vị phối hợp; ở cấp gốc: gốc của các bên ký kết")
    )


@dataclass(frozen=True)
class Query:
    unit: OrgUnit
    programme: Programme
    indicators: list[Indicator]
    asked: Indicator | None
    start: date
    end: date
    view: View
    approved: bool

    def totals_of(self, unit_ids: list[int]) -> dict[int, dict[str, int]]:
        sums = totals(
            unit_ids=unit_ids,
            indicator_ids=[i.pk for i in self.indicators],
            start=self.start,
            end=self.end,
            view=self.view,
            approved=self.approved,
        )
        return {uid: {i.code: sums[(uid, i.pk)] for i in self.indicators} for uid in unit_ids}

    def head(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "unit_name": self.unit.display_name,
            "programme": self.programme.code,
            "indicator": self.asked.code if self.asked else None,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "view": self.view,
            "approved": self.approved,
            "indicators": [
                {"code": i.code, "name": i.name, "field": i.field.code, "unit_of_measure": i.unit_of_measure}
                for i in self.indicators
            ],
        }

    def value_of(self, values: dict[str, int]) -> int | None:
        return values[self.asked.code] if self.asked else None


def parse_query(request: Request) -> Query:
    params = FiguresQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    unit = figure_units(request.user).filter(code=data["unit"]).first()
    if unit is None:
        raise NotFound()
    programme = resolve_programme(unit, request.user, data.get("programme"))
    indicators = list(
        Indicator.objects.restrict(request.user, "view")
        .filter(programme=programme)
        .select_related("field")
        .order_by("field__order", "field__code", "order", "code")
    )
    asked = None
    if data.get("indicator"):
        asked = next((i for i in indicators if i.code == data["indicator"]), None)
        if asked is None:
            raise serializers.ValidationError(
                {
                    "indicator": [
                        _("Không tìm thấy chỉ tiêu có mã “%(code)s” trong chương trình %(programme)s.")
                        % {"code": data["indicator"], "programme": programme.code}
                    ]
                }
            )
        indicators = [asked]
    return Query(
        unit=unit,
        programme=programme,
        indicators=indicators,
        asked=asked,
        start=data["start"],
        end=data["end"],
        view=data["view"],
        approved=data["approved"] == "1",
    )


class FiguresView(ApiViewMixin):
    @extend_schema(
        operation_id="figures_retrieve",
        summary=gettext_lazy("Tổng số liệu của một đơn vị (cả cấp dưới) trong khoảng ngày"),
        description=gettext_lazy(
            "Tổng cộng dồn chính xác ngay khi số liệu được lưu. Đơn vị phải trong phạm vi của người dùng "
            "(đơn vị mình, cấp dưới, đơn vị phối hợp); mã khác trả về 404."
        ),
        parameters=[FiguresQuerySerializer],
        responses=FiguresSerializer,
        tags=["figures"],
    )
    def get(self, request: Request) -> Response:
        query = parse_query(request)
        values = query.totals_of([query.unit.pk])[query.unit.pk]
        return Response({**query.head(), "value": query.value_of(values), "values": values})


class FiguresBySideView(ApiViewMixin):
    @extend_schema(
        operation_id="figures_by_side_retrieve",
        summary=gettext_lazy("Tổng số liệu theo bên phối hợp"),
        description=gettext_lazy(
            "Như bảng “Theo bên phối hợp” của trang số liệu: đơn vị và các đơn vị phối hợp với nó; ở cấp gốc "
            "của một tổ chức là gốc của các bên ký kết chương trình. Bên mà người dùng không được xem số liệu "
            "có visible=false và value, values là null (không bao giờ trả về 0 thay cho số không được xem)."
        ),
        parameters=[FiguresQuerySerializer],
        responses=FiguresBySideSerializer,
        tags=["figures"],
    )
    def get(self, request: Request) -> Response:
        query = parse_query(request)
        sides = side_units(request.user, query.unit, query.programme, timezone.localdate())
        sums = query.totals_of([s.unit.pk for s in sides if s.visible])
        rows = [
            {
                "unit": s.unit.code,
                "name": s.unit.display_name,
                "organisation": s.unit.organisation.code,
                "visible": s.visible,
                "value": query.value_of(sums[s.unit.pk]) if s.visible else None,
                "values": sums[s.unit.pk] if s.visible else None,
            }
            for s in sides
        ]
        return Response({**query.head(), "sides": rows})


class FiguresByChildView(ApiViewMixin):
    @extend_schema(
        operation_id="figures_by_child_retrieve",
        summary=gettext_lazy("Tổng số liệu theo từng đơn vị cấp dưới trực tiếp"),
        description=gettext_lazy(
            "Một dòng cho mỗi đơn vị cấp dưới trực tiếp trong phạm vi của người dùng: theo cây hiện nay "
            "(view=today) là các đơn vị đang hoạt động, theo thời điểm (view=historical) là các đơn vị "
            "hoạt động trong khoảng ngày."
        ),
        parameters=[FiguresQuerySerializer],
        responses=FiguresByChildSerializer,
        tags=["figures"],
    )
    def get(self, request: Request) -> Response:
        query = parse_query(request)
        children = child_units(query.unit, view=query.view, start=query.start, end=query.end)
        # Children of a counterpart unit are not the reader's to see: keep those in scope.
        visible = set(
            figure_units(request.user).filter(pk__in=[c.unit_id for c in children]).values_list("pk", flat=True)
        )
        children = [c for c in children if c.unit_id in visible]
        sums = query.totals_of([c.unit_id for c in children])
        rows = [
            {
                "unit": c.code,
                "name": c.name,
                "closed": c.closed,
                "value": query.value_of(sums[c.unit_id]),
                "values": sums[c.unit_id],
            }
            for c in children
        ]
        return Response({**query.head(), "rows": rows})
