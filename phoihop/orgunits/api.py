"""The API of organisations, units and people: how they look and the thin views over the services.

Reads start from ``restrict(user, "view")``; writes call ``phoihop.orgunits.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import BooleanField, Case, Manager, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.api.base import ApiViewMixin, created
from phoihop.api.concurrency import VersionedDetailMixin
from phoihop.api.fields import CODE_PATTERN, ID_PATTERN, code_ref
from phoihop.api.permissions import Can
from phoihop.core.gate import STRUCTURE
from phoihop.orgunits.filtersets import PersonFilterSet, UnitFilterSet
from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, Person, SuccessionKind
from phoihop.orgunits.permissions import private_person_q
from phoihop.orgunits.privacy import PRIVATE_FIELDS
from phoihop.orgunits.services import person_create, person_update, unit_update


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
)
@extend_schema(tags=["organisations"])
class OrganisationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.restrict(self.request.user, "view").prefetch_related("levels")


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách đơn vị trong phạm vi của người dùng")),
    retrieve=extend_schema(summary=_("Một đơn vị")),
    partial_update=extend_schema(
        summary=_("Sửa tên, tên ngắn, loại, ngày hiệu lực của đơn vị (quản trị đơn vị)"),
        request=UnitUpdateSerializer,
        responses=UnitSerializer,
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
        if self.action == "partial_update":
            return [*super().get_permissions(), Can.to("manage")()]
        return list(super().get_permissions())

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
