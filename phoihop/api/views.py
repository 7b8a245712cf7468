"""API views: thin. Reads start from ``restrict(user, "view")``; writes call the services.

A record the user cannot see answers 404 like a missing one: every lookup goes through the
view-scoped queryset first, so a service's ``OutOfScope`` (a 403) can only be raised about a
record the user does see but may not change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from phoihop.api.base import ApiViewMixin
from phoihop.api.filtersets import PhaseFilterSet
from phoihop.api.serializers import (
    OrganisationSerializer,
    PersonSerializer,
    PhaseSerializer,
    ProgrammeSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)
from phoihop.core.scoping import is_system_admin, subtree_q
from phoihop.orgunits.filtersets import PersonFilterSet, UnitFilterSet
from phoihop.orgunits.models import Organisation, OrgUnit, Person
from phoihop.orgunits.services import person_create, person_update, unit_update
from phoihop.programmes.models import Indicator, Party, Phase, Programme

# Ids in paths are numbers; anything else is a 404 from the router, not from the database.
ID_PATTERN = "[0-9]+"
CODE_PATTERN = "[A-Za-z0-9_-]+"

# The route prefixes of the v1 API and their base names, in the order the root lists them.
ROUTES: list[tuple[str, str]] = [
    ("organisations", "organisation"),
    ("units", "unit"),
    ("persons", "person"),
    ("programmes", "programme"),
    ("phases", "phase"),
    ("activities", "activity"),
    ("entered-figures", "entered-figure"),
    ("practice-models", "practice-model"),
    ("exchanges", "exchange"),
    ("lessons", "lesson"),
    ("proposals", "proposal"),
    ("locks", "lock"),
]
# Links of the root to views outside the router: key -> route name.
OTHER_LINKS: dict[str, str] = {
    "figures": "api:figures",
    "figures-by-child": "api:figures-by-child",
    "reporting-periods": "api:reporting-period-list",
    "report-requests": "api:report-request-list",
    "reports": "api:report-list",
    "conferences": "api:conference-list",
}


class ApiRootView(ApiViewMixin):
    """The entry point of v1: a link to every list."""

    @extend_schema(
        operation_id="api_root",
        summary=_("Danh mục các tài nguyên của API"),
        description=_("Đường dẫn tới từng danh sách của API phiên bản 1."),
        responses=inline_serializer(
            name="ApiRoot",
            fields={
                **{prefix: serializers.URLField() for prefix, _basename in ROUTES},
                **{key: serializers.URLField() for key in OTHER_LINKS},
            },
        ),
        tags=["root"],
    )
    def get(self, request: Request) -> Response:
        links = {prefix: reverse(f"api:{basename}-list", request=request) for prefix, basename in ROUTES}
        links.update({key: reverse(name, request=request) for key, name in OTHER_LINKS.items()})
        return Response(links)


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
class UnitViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.restrict(self.request.user, "view").select_related(
            "organisation", "level", "area", "successor"
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = self.get_object()
        serializer = UnitUpdateSerializer(unit, data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        unit = unit_update(unit=unit, acting_user=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(unit).data)


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách người trong phạm vi của người dùng và nhân vật công khai")),
    retrieve=extend_schema(summary=_("Một người")),
    create=extend_schema(summary=_("Thêm người")),
    partial_update=extend_schema(summary=_("Sửa thông tin một người")),
)
@extend_schema(tags=["persons"])
class PersonViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        qs = Person.objects.restrict(user, "view").select_related("unit")
        # Whether the person sits in the user's own subtree, or is seen only as a public figure.
        if is_system_admin(user):
            return qs.annotate(in_own_scope=Value(True))
        own = Case(
            When(subtree_q(user, "view", "unit"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        return qs.annotate(in_own_scope=own)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = person_create(acting_user=request.user, data=dict(serializer.validated_data))
        data = self.get_serializer(person).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        serializer = self.get_serializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = person_update(person=person, acting_user=request.user, data=dict(serializer.validated_data))
        person.in_own_scope = True  # type: ignore[attr-defined]  # the service let them change it
        return Response(self.get_serializer(person).data)


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách chương trình phối hợp")),
    retrieve=extend_schema(summary=_("Một chương trình: các bên, lĩnh vực, chỉ tiêu, giai đoạn")),
)
@extend_schema(tags=["programmes"])
class ProgrammeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self) -> QuerySet[Programme]:
        return (
            Programme.objects.restrict(self.request.user, "view")
            .select_related("parent")
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=Party.objects.select_related("organisation", "representative_unit", "root_unit"),
                ),
                "fields",
                Prefetch(
                    "indicators", queryset=Indicator.objects.select_related("field", "introduced_in", "retired_in")
                ),
                "phases",
            )
        )


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách giai đoạn")),
    retrieve=extend_schema(summary=_("Một giai đoạn")),
)
@extend_schema(tags=["phases"])
class PhaseViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilterSet
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Phase]:
        return (
            Phase.objects.restrict(self.request.user, "view")
            .select_related("programme", "signing")
            .order_by("programme__code", "start")
        )
