"""The API of organisations, units and people: how they look and the thin views over the services.

Reads start from ``restrict(user, "view")``; writes call ``phoihop.orgunits.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.core.validators import RegexValidator
from django.db.models import BooleanField, Case, Manager, QuerySet, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin, created
from phoihop.api.concurrency import VersionedDetailMixin
from phoihop.api.fields import CODE_PATTERN, ID_PATTERN, UnitCodeField, code_ref
from phoihop.api.permissions import Can
from phoihop.core.gate import STRUCTURE
from phoihop.core.permissions import require
from phoihop.orgunits.filtersets import PersonFilterSet, UnitFilterSet
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, Person, SuccessionKind
from phoihop.orgunits.permissions import private_person_q
from phoihop.orgunits.privacy import PRIVATE_FIELDS
from phoihop.orgunits.services import (
    organisation_create,
    person_create,
    person_update,
    unit_close_into,
    unit_create,
    unit_create_root,
    unit_update,
)


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnitLevel
        fields = ["code", "name", "rank", "closed"]


class OrganisationSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail", lookup_field="code")
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "short_name", "levels", "url"]


class UnitRefSerializer(serializers.Serializer):
    # A unit named by id and code, for links to other units (parent and the like).
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class UnitRef(TypedDict):
    id: int
    code: str


def parent_path(unit: OrgUnit) -> str:
    return unit.path[: -OrgUnit.steplen]


def parents_by_path(units: Iterable[OrgUnit]) -> dict[str, UnitRef]:
    """The parents of many units in one query, keyed by path.

    Not scoped on purpose: a unit's ancestors are shown to everyone who sees the unit, by
    code only (as breadcrumbs are), and the path is derived, not looked up per unit.
    """
    paths = {parent_path(u) for u in units if u.depth > 1}
    if not paths:
        return {}
    rows = OrgUnit.objects.unrestricted(STRUCTURE).filter(path__in=paths).values_list("path", "pk", "code")

    return {path: {"id": pk, "code": code} for path, pk, code in rows}


class UnitListSerializer(serializers.ListSerializer):
    # Resolves the parents of a whole page in one query before the units are shaped.
    def to_representation(self, data: Any) -> list[Any]:
        units = list(data.all() if isinstance(data, Manager) else data)
        self.context["unit_parents"] = parents_by_path(units)
        return [self.child.to_representation(unit) for unit in units]  # type: ignore[union-attr]


class UnitSerializer(serializers.ModelSerializer):
    organisation = code_ref(_("Tổ chức (mã)"))
    level = code_ref(_("Cấp (mã)"))
    area = AreaRefSerializer(read_only=True, allow_null=True, label=_("Địa bàn hành chính"))
    # Declared fields leave the class body (DRF's metaclass collects them), so the names
    # "parent" and "fields" do not clash with the serializer's own attributes at run time.
    parent = serializers.SerializerMethodField(label=_("Đơn vị cấp trên"))  # type: ignore[assignment]
    successor = code_ref(_("Đơn vị kế thừa (mã)"), allow_null=True)
    # Declared so the schema allows the empty value a unit without successor has.
    succession_kind = serializers.ChoiceField(
        choices=SuccessionKind.choices, allow_blank=True, read_only=True, label=_("Hình thức kế thừa")
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")

    class Meta:
        model = OrgUnit
        list_serializer_class = UnitListSerializer
        fields = [
            "id",
            "version",
            "code",
            "name",
            "short_name",
            "organisation",
            "level",
            "kind",
            "area",
            "parent",
            "depth",
            "valid_from",
            "valid_to",
            "successor",
            "succession_kind",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_parent(self, unit: OrgUnit) -> UnitRef | None:
        if unit.depth <= 1:
            return None
        known: dict[str, UnitRef] | None = self.context.get("unit_parents")
        if known is None:
            known = parents_by_path([unit])
        return known.get(parent_path(unit))


class UnitUpdateSerializer(serializers.ModelSerializer):
    # The fields of a unit the API lets a unit administrator change.
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "kind", "valid_from"]


# Codes of new organisations, levels and units: what a URL and a file column can carry.
CODE_VALIDATOR = RegexValidator(
    f"^{CODE_PATTERN}$",
    _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_)."),
)


class LevelInputSerializer(serializers.Serializer):
    # One level of a new organisation; the list goes from the highest level down.
    code = serializers.CharField(max_length=32, validators=[CODE_VALIDATOR], label=_("Mã cấp"))
    name = serializers.CharField(max_length=100, label=_("Tên cấp"))


class OrganisationCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, validators=[CODE_VALIDATOR], label=_("Mã tổ chức"))
    name = serializers.CharField(max_length=255, label=_("Tên tổ chức"))
    short_name = serializers.CharField(max_length=64, required=False, allow_blank=True, label=_("Tên viết tắt"))
    levels = LevelInputSerializer(many=True, label=_("Các cấp, từ cấp cao nhất xuống"))


class UnitCreateSerializer(serializers.Serializer):
    # A new unit: its organisation and level by code, its parent by unit code (none: the top of
    # the organisation's tree, for system administrators).
    code = serializers.CharField(max_length=40, validators=[CODE_VALIDATOR], label=_("Mã đơn vị"))
    name = serializers.CharField(max_length=255, label=_("Tên đầy đủ"))
    short_name = serializers.CharField(max_length=128, required=False, allow_blank=True, label=_("Tên ngắn"))
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.none(),
        label=_("Tổ chức (mã)"),
        error_messages={
            "does_not_exist": _("Không tìm thấy tổ chức có mã “{value}”."),
            "invalid": _("Mã tổ chức không hợp lệ."),
        },
    )
    level = serializers.CharField(max_length=32, label=_("Cấp (mã, trong các cấp của tổ chức)"))
    # A declared field, like UnitSerializer.parent: no clash with the serializer's own "parent".
    parent = UnitCodeField(  # type: ignore[assignment]
        required=False, allow_null=True, label=_("Đơn vị cấp trên (mã); bỏ trống: đơn vị cao nhất của tổ chức")
    )
    valid_from = serializers.DateField(required=False, allow_null=True, label=_("Hoạt động từ ngày"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user, "view")  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organisation: Organisation = attrs["organisation"]
        level = OrgUnitLevel.objects.filter(organisation=organisation, code=attrs["level"]).first()
        if level is None:
            raise serializers.ValidationError(
                {
                    "level": [
                        gettext("Tổ chức %(organisation)s không có cấp mã “%(code)s”.")
                        % {"organisation": organisation.code, "code": attrs["level"]}
                    ]
                }
            )
        attrs["level"] = level
        parent: OrgUnit | None = attrs.get("parent")
        if parent is not None and parent.organisation_id != organisation.pk:
            raise serializers.ValidationError(
                {
                    "parent": [
                        gettext("Đơn vị cấp trên %(parent)s không thuộc tổ chức %(organisation)s.")
                        % {"parent": parent.code, "organisation": organisation.code}
                    ]
                }
            )
        return attrs


class UnitCloseSerializer(serializers.Serializer):
    valid_to = serializers.DateField(label=_("Ngày hoạt động cuối cùng"))
    successors = serializers.ListField(
        child=UnitCodeField(),
        required=False,
        max_length=50,
        label=_("Đơn vị kế thừa (mã): không có là giải thể, một là sáp nhập, nhiều là chia tách"),
    )
    succession_kind = serializers.ChoiceField(
        choices=SuccessionKind.choices,
        required=False,
        allow_blank=True,
        label=_("Hình thức kế thừa (mặc định: sáp nhập vào đơn vị kế thừa)"),
    )


class UnitClosedSerializer(UnitSerializer):
    note = serializers.CharField(
        read_only=True, label=_("Ghi chú (khi chia tách: đơn vị nào được ghi là đơn vị kế thừa)")
    )

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "note"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    rank_label = serializers.CharField(read_only=True, label=_("Tên cấp bậc"))
    # Blank entries are allowed in: the model drops them and tidies the spaces.
    positions = serializers.ListField(
        child=serializers.CharField(max_length=255, allow_blank=True), required=False, label=_("Chức vụ")
    )
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.none(),
        required=False,
        allow_null=True,
        label=_("Đơn vị (mã)"),
        error_messages={
            "does_not_exist": _("Không tìm thấy đơn vị có mã “{value}”."),
            "invalid": _("Mã đơn vị không hợp lệ."),
        },
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    # Marking a public figure needs a reason, kept in the history (PersonPolicy.can_publicise says who).
    public_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        label=_("Lý do đánh dấu hoặc bỏ đánh dấu nhân vật công khai"),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "version",
            "full_name",
            "birth_year",
            "birth_date",
            "gender",
            "home_town",
            "residence",
            "qualification",
            "distinctions",
            "rank",
            "rank_label",
            "positions",
            "unit",
            "affiliation",
            "member_card_number",
            "is_public_figure",
            "public_reason",
            "url",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A unit the user cannot see is "not found", exactly like one that does not exist.
            self.fields["unit"].queryset = OrgUnit.objects.restrict(request.user, "view")  # type: ignore[attr-defined]

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not getattr(instance, "in_own_scope", True):
            # A public figure seen from outside their unit's subtree (ADR 0002) shows name, rank,
            # positions and unit; the private fields read as empty (shapes the schema allows).
            data.update(PRIVATE_FIELDS)
        return data


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách tổ chức")),
    retrieve=extend_schema(summary=_("Một tổ chức, với các cấp của nó")),
    create=extend_schema(
        summary=_("Tạo tổ chức với các cấp của nó (quản trị hệ thống)"),
        description=_(
            "Các cấp theo thứ tự từ cao xuống thấp: cấp đầu tiên là cấp cao nhất (thứ tự 0). "
            "Mã tổ chức và mã cấp không được trùng."
        ),
        request=OrganisationCreateSerializer,
        responses={201: OrganisationSerializer},
    ),
)
@extend_schema(tags=["organisations"])
class OrganisationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.restrict(self.request.user, "view").prefetch_related("levels")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Who may is asked first: a user who may not create organisations learns nothing from
        # the checks of the data (the service asks again, inside its transaction).
        require(request.user, Organisation(), "create")
        serializer = OrganisationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = organisation_create(
            acting_user=request.user,
            code=data["code"],
            name=data["name"],
            short_name=data.get("short_name", ""),
            levels=[dict(level) for level in data["levels"]],
        )
        return created(self.get_serializer(self.get_queryset().get(pk=organisation.pk)).data)


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách đơn vị trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=_("Một đơn vị")),
    partial_update=extend_schema(
        summary=_("Sửa tên, tên ngắn, loại, ngày hiệu lực của đơn vị (quản trị đơn vị)"),
        request=UnitUpdateSerializer,
        responses=UnitSerializer,
    ),
    create=extend_schema(
        summary=_("Tạo đơn vị dưới một đơn vị trong phạm vi quản trị (quản trị đơn vị, quản trị hệ thống)"),
        description=_(
            "Đơn vị cấp trên theo mã, cùng tổ chức; cấp của đơn vị mới phải thấp hơn cấp của đơn vị cấp trên "
            "và là cấp còn dùng. Không nêu đơn vị cấp trên: đơn vị cao nhất của tổ chức (chỉ quản trị hệ "
            "thống). Đơn vị không bao giờ được chuyển sang chỗ khác trong cây."
        ),
        request=UnitCreateSerializer,
        responses={201: UnitSerializer},
    ),
)
@extend_schema(tags=["units"])
class UnitViewSet(
    VersionedDetailMixin, ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.restrict(self.request.user, "view").select_related(
            "organisation", "level", "area", "successor"
        )

    def get_permissions(self) -> list[Any]:
        if self.action in ("partial_update", "close"):
            return [*super().get_permissions(), Can.to("manage")()]
        return list(super().get_permissions())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = UnitCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation, parent = data.pop("organisation"), data.pop("parent", None)
        if parent is None:
            unit = unit_create_root(acting_user=request.user, organisation=organisation, **data)
        else:
            unit = unit_create(acting_user=request.user, parent=parent, **data)
        return created(self.get_serializer(self.get_queryset().get(pk=unit.pk)).data)

    @extend_schema(
        summary=_("Đóng đơn vị: giải thể, sáp nhập vào một đơn vị, hoặc chia tách cho nhiều đơn vị"),
        description=_(
            "Đơn vị đóng vẫn ở nguyên chỗ trong cây, số liệu của nó vẫn thuộc nó khi xem theo đơn vị thời đó. "
            "Mỗi đơn vị chỉ ghi được một đơn vị kế thừa (nhận số liệu của nó trong cây hiện hành): khi chia "
            "tách, đơn vị nêu đầu tiên được ghi là đơn vị kế thừa, các đơn vị còn lại được ghi vào lịch sử "
            "và nêu trong trường note."
        ),
        request=UnitCloseSerializer,
        responses=UnitClosedSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        serializer = UnitCloseSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        successors = data.get("successors", [])
        unit, others = unit_close_into(
            unit=unit,
            acting_user=request.user,
            valid_to=data["valid_to"],
            successors=successors,
            kind=data.get("succession_kind", ""),
        )
        fresh = self.get_queryset().get(pk=unit.pk)
        fresh.note = (  # type: ignore[attr-defined]
            gettext(
                "Chia tách: %(first)s được ghi là đơn vị kế thừa và nhận số liệu của đơn vị trong cây hiện hành; "
                "%(others)s được ghi vào lịch sử của đơn vị."
            )
            % {"first": successors[0].code, "others": ", ".join(u.code for u in others)}
            if others
            else ""
        )
        return Response(UnitClosedSerializer(fresh, context=self.get_serializer_context()).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = self.get_object()

        serializer = UnitUpdateSerializer(unit, data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        unit = unit_update(
            unit=unit,
            acting_user=request.user,
            data=dict(serializer.validated_data),
            expected_version=self.expected_version,
        )
        return Response(self.get_serializer(unit).data)


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách người trong phạm vi của người dùng và nhân vật công khai")),
    retrieve=extend_schema(summary=_("Một người")),
    create=extend_schema(summary=_("Thêm người")),
    partial_update=extend_schema(summary=_("Sửa thông tin một người")),
)
@extend_schema(tags=["persons"])
class PersonViewSet(
    VersionedDetailMixin, ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        qs = Person.objects.restrict(user, "view").select_related("unit")
        # Whether the user reads the person's private details, or sees only a public figure.
        private = Case(
            When(private_person_q(user), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
        return qs.annotate(in_own_scope=private)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        reason = values.pop("public_reason", "")
        person = person_create(acting_user=request.user, data=values, public_reason=reason)
        data = self.get_serializer(person).data
        return created(data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        serializer = self.get_serializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        reason = values.pop("public_reason", "")
        person = person_update(
            person=person,
            acting_user=request.user,
            data=values,
            public_reason=reason,
            expected_version=self.expected_version,
        )
        person.in_own_scope = True  # type: ignore[attr-defined]  # the service let them change it
        return Response(self.get_serializer(person).data)


ROUTES = [
    ("organisations", "organisation", OrganisationViewSet),
    ("units", "unit", UnitViewSet),
    ("persons", "person", PersonViewSet),
]
