"""Every deletion service leaves a tombstone: a history row of type '-' naming who deleted the
record and why (the action, and the reason when one is given), for the record itself and for
every record with a history that the deletion cascades to.

Each service is run on demo records, by the first demo user it accepts (which user may delete
what is the permission tests' subject; here it is the trail left behind). Attachments' history
is tested with the attachments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404

from phoihop.activities.models import Activity, ActivityPartner
from phoihop.activities.services import activity_create, activity_delete
from phoihop.commendations.models import Nomination, NominationFile
from phoihop.commendations.services import nomination_delete, nomination_file_remove
from phoihop.conferences.models import CoChair, Delegate, Paper
from phoihop.conferences.services import cochair_remove, delegate_remove, paper_remove
from phoihop.entry.models import IndicatorValue
from phoihop.orgunits.models import OrgUnit
from phoihop.programmes.models import Indicator, Phase
from phoihop.records.models import Lesson, PracticeModel, Proposal, Replication
from phoihop.records.services import record_delete, replication_remove
from phoihop.reporting.models import Report, ReportRequest
from phoihop.reporting.services import report_delete, request_delete

pytestmark = pytest.mark.django_db

USERS = ["admin", "tcct", "tuhoi", "hanoi.qs", "hanoi.ccb", "camau.ccb", "hoankiem.ccb"]
REFUSED = (PermissionDenied, ValidationError, Http404)
WHY = "Nhập trùng với hoạt động đã có"


def everything(model: type[models.Model]) -> Any:
    manager: Any = model._default_manager
    return manager.unrestricted("test: tombstones") if hasattr(manager, "unrestricted") else manager.all()


def tombstone(model: type[models.Model], pk: Any) -> Any:
    rows = list(model.history.filter(id=pk, history_type="-"))  # type: ignore[attr-defined]
    assert len(rows) == 1, f"{model.__name__} {pk}: {len(rows)} tombstones"
    return rows[0]


def delete_some(
    service: Callable[..., None],
    keyword: str,
    candidates: Iterable[models.Model],
    *,
    extra: dict[str, Any] | None = None,
) -> tuple[Any, Any]:
    """Delete the first candidate that some demo user may delete; return its key and that user."""
    users = [get_user_model().objects.get(username=name) for name in USERS]
    for candidate in candidates:
        pk = candidate.pk  # Django forgets it once the row is deleted
        for user in users:
            try:
                with transaction.atomic():
                    service(**{keyword: candidate}, acting_user=user, **(extra or {}))
            except REFUSED:
                continue
            return pk, user
    raise AssertionError(f"no demo user could run {service.__name__} on any candidate")


def assert_tombstone(model: type[models.Model], pk: Any, user: Any, action: str, reason: str = "") -> None:
    row = tombstone(model, pk)
    assert row.history_user_id == user.pk, f"{model.__name__} {pk}: deleted by {row.history_user_id}"
    expected = f"{action}\n{reason}" if reason else action
    assert row.history_change_reason == expected, row.history_change_reason


def test_deleting_an_activity_leaves_its_tombstone_and_those_of_its_values_and_partners(
    demo_user: Callable[[str], Any],
) -> None:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    activity = activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=phase,
        lead_unit=OrgUnit.objects.get(code="CCB-X00070"),
        partners=[OrgUnit.objects.get(code="QS-X00070")],
        title="Giao ban công tác phối hợp",
        start_date=date(2027, 4, 5),
        end_date=date(2027, 4, 5),
        values={Indicator.objects.get(programme__code="QDND-CCB", code="pt-hoat-dong"): 1},
    )
    partners = list(ActivityPartner.objects.filter(activity=activity).values_list("pk", flat=True))
    values = list(everything(IndicatorValue).filter(activity=activity).values_list("pk", flat=True))
    assert partners and values
    user = demo_user("hoankiem.ccb")
    activity_delete(activity=activity, acting_user=user, reason=WHY)
    assert_tombstone(Activity, activity.pk, user, "activity.delete", WHY)
    for pk in partners:
        assert_tombstone(ActivityPartner, pk, user, "activity.delete", WHY)
    for pk in values:
        assert_tombstone(IndicatorValue, pk, user, "activity.delete", WHY)


def test_deleting_a_practice_model_leaves_the_tombstones_of_its_replications() -> None:
    candidates = everything(PracticeModel).filter(replications__isnull=False).distinct()
    replications = {m.pk: list(m.replications.values_list("pk", flat=True)) for m in candidates[:20]}
    deleted, user = delete_some(record_delete, "record", candidates[:20])
    assert_tombstone(PracticeModel, deleted, user, "record.delete")
    assert replications[deleted]
    for pk in replications[deleted]:
        assert_tombstone(Replication, pk, user, "record.delete")


@pytest.mark.parametrize(
    ("service", "keyword", "model", "action", "extra"),
    [
        (record_delete, "record", Lesson, "record.delete", {"reason": WHY}),
        (record_delete, "record", Proposal, "record.delete", {"reason": WHY}),
        (replication_remove, "replication", Replication, "replication.remove", None),
        (request_delete, "request", ReportRequest, "request.delete", {"reason": WHY}),
        (report_delete, "report", Report, "report.delete", {"reason": WHY}),
        (nomination_delete, "nomination", Nomination, "nomination.delete", {"reason": WHY}),
        (nomination_file_remove, "row", NominationFile, "nomination.file_remove", None),
        (cochair_remove, "row", CoChair, "conference.row_remove", None),
        (delegate_remove, "row", Delegate, "conference.row_remove", None),
        (paper_remove, "paper", Paper, "conference.row_remove", None),
    ],
    ids=lambda v: getattr(v, "__name__", None) if callable(v) else None,
)
def test_every_deletion_service_leaves_a_tombstone_naming_who_and_why(
    service: Callable[..., None], keyword: str, model: type[models.Model], action: str, extra: dict[str, Any] | None
) -> None:
    candidates = list(everything(model).order_by("pk")[:30])
    if not candidates:
        pytest.skip(f"the demo has no {model.__name__}")
    deleted, user = delete_some(service, keyword, candidates, extra=extra)
    assert not everything(model).filter(pk=deleted).exists()
    assert_tombstone(model, deleted, user, action, (extra or {}).get("reason", ""))


def test_the_reason_given_on_the_page_and_in_the_api_is_kept_in_the_tombstone(
    demo_user: Callable[[str], Any], client: Any, api_client_as: Callable[[str], Any]
) -> None:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    user = demo_user("hoankiem.ccb")

    def draft() -> Activity:
        return activity_create(
            acting_user=user,
            phase=phase,
            lead_unit=OrgUnit.objects.get(code="CCB-X00070"),
            partners=[],
            title="Giao ban",
            start_date=date(2027, 4, 5),
            end_date=date(2027, 4, 5),
            values={Indicator.objects.get(programme__code="QDND-CCB", code="pt-hoat-dong"): 1},
        )

    on_page, in_api, too_long = draft(), draft(), draft()
    client.force_login(user)
    response = client.post(f"/activities/{on_page.pk}/delete/", {"reason": WHY})
    assert response.status_code == 302
    assert_tombstone(Activity, on_page.pk, user, "activity.delete", WHY)

    api = api_client_as("hoankiem.ccb")
    assert api.delete(f"/api/v1/activities/{in_api.pk}/?reason=Sai%20%C4%91%C6%A1n%20v%E1%BB%8B").status_code == 204
    assert_tombstone(Activity, in_api.pk, user, "activity.delete", "Sai đơn vị")

    response = api.delete(f"/api/v1/activities/{too_long.pk}/?reason={'x' * 1001}")
    assert response.status_code == 400
    assert "1.000" in response.json()["reason"][0]
    assert everything(Activity).filter(pk=too_long.pk).exists()
