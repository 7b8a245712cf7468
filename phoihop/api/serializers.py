"""How units, people, organisations, programmes and phases look in the API.

Serializers here only shape and validate data. Writes go through the services in the views.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import Manager
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.orgunits.models import Organisation, OrgUnit, OrgUnitLevel, Person, SuccessionKind
from phoihop.programmes.models import Field, Indicator, Party, Phase, Programme, Signing


def code_ref(label: Any, *, allow_null: bool = False) -> serializers.SlugRelatedField[Any]:
    """A related record shown by its code, read only."""
    return serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=allow_null, label=label)


# --- organisations -----------------------------------------------------------------------


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


# --- units -------------------------------------------------------------------------------


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
    rows = OrgUnit.objects.filter(path__in=paths).values_list("path", "pk", "code")
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


# --- people ------------------------------------------------------------------------------

# Shown only to users whose own subtree holds the person; a public figure seen from outside
# shows name, rank and positions (and unit), as the model's help text promises. Hidden
# values read as empty (the same shapes the schema allows for an unknown value).
PERSON_PRIVATE_FIELDS: dict[str, Any] = {"birth_year": None, "gender": "", "member_card_number": ""}


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

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "birth_year",
            "gender",
            "rank",
            "rank_label",
            "positions",
            "unit",
            "affiliation",
            "member_card_number",
            "is_public_figure",
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
            data.update(PERSON_PRIVATE_FIELDS)
        return data


# --- programmes and phases ---------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    organisation = code_ref(_("Tổ chức (mã)"))
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, label=_("Tên tổ chức"))
    representative_unit = UnitRefSerializer(read_only=True, label=_("Cơ quan đại diện"))
    root_unit = UnitRefSerializer(read_only=True, label=_("Phạm vi (đơn vị gốc)"))

    class Meta:
        model = Party
        fields = ["organisation", "organisation_name", "representative_unit", "root_unit", "order"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name", "order"]


class IndicatorSerializer(serializers.ModelSerializer):
    field = code_ref(_("Lĩnh vực (mã)"))
    introduced_in = code_ref(_("Áp dụng từ giai đoạn (mã)"), allow_null=True)
    retired_in = code_ref(_("Thôi áp dụng từ giai đoạn (mã)"), allow_null=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "field", "unit_of_measure", "aggregation", "introduced_in", "retired_in", "order"]


class SigningSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signing
        fields = ["signed_on", "place", "document_number"]


class PhaseSerializer(serializers.ModelSerializer):
    programme = code_ref(_("Chương trình (mã)"))
    status_label = serializers.CharField(source="get_status_display", read_only=True, label=_("Tên trạng thái"))
    signing = serializers.SerializerMethodField(label=_("Ký kết"))
    url = serializers.HyperlinkedIdentityField(view_name="api:phase-detail")

    class Meta:
        model = Phase
        fields = ["id", "programme", "code", "name", "start", "end", "status", "status_label", "signing", "url"]

    @extend_schema_field(SigningSerializer(allow_null=True))
    def get_signing(self, phase: Phase) -> dict[str, Any] | None:
        try:
            signing = phase.signing
        except Signing.DoesNotExist:
            return None
        return dict(SigningSerializer(signing).data)


class PhaseBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:phase-detail")

    class Meta:
        model = Phase
        fields = ["id", "code", "name", "start", "end", "status", "url"]


class ProgrammeSerializer(serializers.ModelSerializer):
    parent = code_ref(_("Chương trình cấp trên (mã)"), allow_null=True)  # type: ignore[assignment]
    parties = PartySerializer(many=True, read_only=True)
    fields = FieldSerializer(many=True, read_only=True)  # type: ignore[assignment]
    indicators = IndicatorSerializer(many=True, read_only=True)
    phases = PhaseBriefSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:programme-detail", lookup_field="code")

    class Meta:
        model = Programme
        fields = [
            "code",
            "title",
            "summary",
            "legal_basis",
            "parent",
            "parties",
            "fields",
            "indicators",
            "phases",
            "url",
        ]
