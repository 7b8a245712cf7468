"""Notices (phoihop/notices): each event tells the right people and nobody else, never someone
who may not see the item; a return carries its reason; e-mail follows each user's preference
(immediate, daily digest, none) through the outbox, is written as .eml without a mail server,
is retried after a failure and never sent twice; reminders are written once however often the
periodic job runs."""

from __future__ import annotations

import email
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from smtplib import SMTPException
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from phoihop.activities import services as activity_services
from phoihop.activities.models import Activity
from phoihop.commendations import services as commendation_services
from phoihop.commendations.models import AwardType, Nomination
from phoihop.figures.periods import PeriodKind
from phoihop.notices import events
from phoihop.notices import services as notice_services
from phoihop.notices.kinds import Delivery, Kind
from phoihop.notices.models import Notice, NoticePreference, OutboxMessage, OutboxStatus
from phoihop.notices.tasks import send_outbox_task
from phoihop.orgunits.models import OrgUnit, OrgUnitLevel, Person
from phoihop.programmes.models import Indicator, Phase
from phoihop.records import services as record_services
from phoihop.reporting import services as reporting_services
from phoihop.reporting.models import Report, ReportingPeriod, ReportRequest
from tests.support.signing import sign

pytestmark = pytest.mark.django_db

COMMUNE = "CCB-X00070"  # Hoàn Kiếm's association: reporter hoankiem.ccb; approver hanoi.ccb at CCB-HANOI above
DAY = date(2026, 10, 5)
EVERYONE = ("admin", "tcct", "tuhoi", "hanoi.qs", "hanoi.ccb", "camau.ccb", "hoankiem.ccb")


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def told(kind: str, **lookup: Any) -> set[str]:
    """The usernames told of ``kind`` (with ``lookup`` on the notice)."""
    return set(Notice.objects.filter(kind=kind, **lookup).values_list("recipient__username", flat=True))


def with_email(user: Any) -> Any:
    user.email = f"{user.username}@phoihop.example"
    user.save(update_fields=["email"])
    return user


def new_activity(demo_user: Callable[[str], Any], title: str = "Hội thao truyền thống phường Hoàn Kiếm") -> Activity:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    indicator = Indicator.objects.get(programme__code="QDND-CCB", code="tt-buoi")
    return activity_services.activity_create(
        acting_user=demo_user("hoankiem.ccb"),
        phase=phase,
        lead_unit=unit(COMMUNE),
        title=title,
        start_date=DAY,
        end_date=DAY,
        values={indicator: 3},
        partners=[unit("QS-X00070")],
    )


@pytest.fixture
def activity(demo_user: Callable[[str], Any]) -> Activity:
    return new_activity(demo_user)


@pytest.fixture
def half(demo_user: Callable[[str], Any]) -> ReportingPeriod:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    reporting_services.periods_generate(phase=phase, acting_user=demo_user("admin"))
    return ReportingPeriod.objects.get(programme=phase.programme, kind=PeriodKind.HALF, start=date(2025, 12, 15))


# --- who is told ------------------------------------------------------------------------------------


def test_a_submitted_activity_tells_the_approvers_above_and_nobody_else(
    activity: Activity, demo_user: Callable[[str], Any]
) -> None:
    activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    url = reverse("activities:detail", kwargs={"pk": activity.pk})
    assert told(Kind.SUBMITTED, url=url) == {"hanoi.ccb"}
    notice = Notice.objects.get(kind=Kind.SUBMITTED, url=url)
    assert activity.title in notice.title and notice.actor == demo_user("hoankiem.ccb")
    assert notice.action == "activity.submit"
    # Nobody else hears of it: not the partner's army approver, not the levels above, not the sender.
    assert Notice.objects.filter(url=url).count() == 1


def test_returned_and_approved_tell_whoever_sent_it_with_the_reason(
    activity: Activity, demo_user: Callable[[str], Any]
) -> None:
    reporter, approver = demo_user("hoankiem.ccb"), demo_user("hanoi.ccb")
    activity_services.activity_submit(activity=activity, acting_user=reporter)
    activity_services.activity_return(activity=activity, acting_user=approver, reason="Thiếu danh sách người tham gia.")
    url = reverse("activities:detail", kwargs={"pk": activity.pk})
    returned = Notice.objects.get(kind=Kind.RETURNED, url=url)
    assert returned.recipient == reporter
    assert returned.body == "Thiếu danh sách người tham gia."
    assert returned.actor == approver
    activity_services.activity_submit(activity=activity, acting_user=reporter)
    activity_services.activity_approve(activity=activity, acting_user=approver)
    assert told(Kind.APPROVED, url=url) == {"hoankiem.ccb"}
    assert told(Kind.SUBMITTED, url=url) == {"hanoi.ccb"}
    assert Notice.objects.filter(kind=Kind.SUBMITTED, url=url).count() == 2  # each submission


def test_a_report_submitted_returned_and_approved(half: ReportingPeriod, demo_user: Callable[[str], Any]) -> None:
    reporter, approver = demo_user("hoankiem.ccb"), demo_user("hanoi.ccb")
    report = reporting_services.report_open(period=half, unit=unit(COMMUNE), acting_user=reporter)
    if not report.is_editable:
        pytest.skip("the demo already sent this report")
    report = reporting_services.report_submit(report=sign(report, reporter), acting_user=reporter)
    url = reverse("reporting:report", kwargs={"pk": report.pk})
    assert told(Kind.SUBMITTED, url=url) == {"hanoi.ccb"}
    report = reporting_services.report_return(report=report, reason="Bổ sung số liệu quý I.", acting_user=approver)
    assert list(Notice.objects.filter(kind=Kind.RETURNED, url=url).values_list("recipient__username", "body")) == [
        ("hoankiem.ccb", "Bổ sung số liệu quý I.")
    ]
    report = reporting_services.report_submit(report=sign(report, reporter), acting_user=reporter)
    reporting_services.report_approve(report=report, acting_user=approver)
    assert told(Kind.APPROVED, url=url) == {"hoankiem.ccb"}


def test_report_requests_tell_the_people_of_each_unit_asked(
    half: ReportingPeriod, demo_user: Callable[[str], Any]
) -> None:
    ReportRequest.objects.filter(period=half).delete()
    level = OrgUnitLevel.objects.get(pk=unit(COMMUNE).level_id)
    made = reporting_services.requests_create(
        period=half, levels=[level], acting_user=demo_user("admin"), under=unit("CCB-HANOI")
    )
    assert made > 1
    request = ReportRequest.objects.get(period=half, unit=unit(COMMUNE))
    key = f"request:{request.pk}:{Kind.REQUEST_RECEIVED}"
    # The commune's own reporter; not the province's approver (who asked nothing of anyone here).
    assert told(Kind.REQUEST_RECEIVED, key=key) == {"hoankiem.ccb"}
    keys = [f"request:{r.pk}:{Kind.REQUEST_RECEIVED}" for r in ReportRequest.objects.filter(period=half)]
    assert told(Kind.REQUEST_RECEIVED, key__in=keys) == {"hoankiem.ccb"}


def test_nominations_received_returned_and_decided(demo_user: Callable[[str], Any]) -> None:
    commendation_services.awards_load()
    reporter, approver = demo_user("hoankiem.ccb"), demo_user("hanoi.ccb")
    veteran = Person.objects.create(
        full_name="Nguyễn Văn Cựu", birth_year=1955, rank="thuong-uy", positions=["Chi hội trưởng"], unit=unit(COMMUNE)
    )
    nomination: Nomination = commendation_services.nomination_create(
        acting_user=reporter,
        proposing_unit=unit(COMMUNE),
        person=veteran,
        award=AwardType.objects.get(code="gk-ccb-tinh"),
        phase=Phase.objects.get(programme__code="QDND-CCB", code="2022-2027"),
        year=2026,
        summary="Tích cực tham gia tuyên truyền.",
    )
    url = reverse("commendations:nomination-detail", kwargs={"pk": nomination.pk})
    nomination = commendation_services.nomination_submit(nomination=nomination, acting_user=reporter)
    assert told(Kind.NOMINATION_RECEIVED, url=url) == {"hanoi.ccb"}
    commendation_services.nomination_return(nomination=nomination, reason="Thiếu bản kiểm điểm.", acting_user=approver)
    returned = Notice.objects.get(kind=Kind.RETURNED, url=url)
    assert (returned.recipient, returned.body) == (reporter, "Thiếu bản kiểm điểm.")
    nomination = commendation_services.nomination_submit(nomination=nomination, acting_user=reporter)
    commendation_services.nomination_decide(
        nomination=nomination,
        acting_user=approver,
        issued_on=date(2026, 11, 27),  # not before the nomination's last step (the tests' today)
        signer_name="Lê Quang Vinh",  # Hà Nội's signatory (phoihop/reporting/authority.py)
    )
    assert told(Kind.NOMINATION_DECIDED, url=url) == {"hoankiem.ccb"}
    assert Notice.objects.filter(url=url).exclude(recipient__username__in=["hanoi.ccb", "hoankiem.ccb"]).count() == 0


def test_an_exchange_tells_the_people_of_each_recipient_unit(demo_user: Callable[[str], Any]) -> None:
    exchange = record_services.exchange_send(
        acting_user=demo_user("tuhoi"),
        sender=unit("CCB-TW"),
        kind="notice",
        subject="Thông báo tổng kết năm",
        body="Các tỉnh gửi báo cáo.",
        recipients=[unit("CCB-HANOI"), unit("CCB-CAMAU")],
    )
    url = reverse("records:exchange", kwargs={"pk": exchange.pk})
    assert told(Kind.EXCHANGE_RECEIVED, url=url) == {"hanoi.ccb", "camau.ccb"}


def test_a_notice_never_goes_to_someone_who_may_not_see_the_item(
    activity: Activity, demo_user: Callable[[str], Any]
) -> None:
    everyone = [demo_user(name) for name in EVERYONE]
    written = events.notify(
        kind=Kind.APPROVED, obj=activity, users=everyone, title="Thử", url="/", actor=demo_user("hoankiem.ccb")
    )
    readers = {n.recipient.username for n in written}
    assert "camau.ccb" not in readers and "hoankiem.ccb" not in readers  # out of scope; the actor
    assert readers == {"admin", "tcct", "tuhoi", "hanoi.qs", "hanoi.ccb"}
    for name in readers:
        assert Activity.objects.restrict(demo_user(name), "view").filter(pk=activity.pk).exists()


# --- e-mail ----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _demo_mail_done() -> None:
    """What the demo queued (its approvers have addresses) counts as sent: each test sees its own mail."""
    OutboxMessage.objects.update(status=OutboxStatus.SENT)
    Notice.objects.update(awaiting_digest=False)


def test_preferences_decide_the_mail(demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any) -> None:
    approver = with_email(demo_user("hanoi.ccb"))
    reporter = demo_user("hoankiem.ccb")
    mail.outbox.clear()

    # Immediate (the default for "submitted to me"): one mail, with the link to the item.
    with django_capture_on_commit_callbacks(execute=True):
        first = new_activity(demo_user, "Hoạt động thứ nhất")
        activity_services.activity_submit(activity=first, acting_user=reporter)
    assert len(mail.outbox) == 1
    assert "Hoạt động thứ nhất" in mail.outbox[0].subject
    assert f"http://127.0.0.1:8000/activities/{first.pk}/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["hanoi.ccb@phoihop.example"]

    # None: the notice is in the bell, no mail.
    notice_services.preferences_set(user=approver, choices={Kind.SUBMITTED: Delivery.NONE})
    with django_capture_on_commit_callbacks(execute=True):
        second = new_activity(demo_user, "Hoạt động thứ hai")
        activity_services.activity_submit(activity=second, acting_user=reporter)
    assert len(mail.outbox) == 1
    assert told(Kind.SUBMITTED, url=reverse("activities:detail", kwargs={"pk": second.pk})) == {"hanoi.ccb"}

    # Digest: no mail now; the morning's digest gathers both, once however often the job runs.
    notice_services.preferences_set(user=approver, choices={Kind.SUBMITTED: Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("Hoạt động thứ ba", "Hoạt động thứ tư"):
            activity_services.activity_submit(activity=new_activity(demo_user, title), acting_user=reporter)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_services.send_digests() == 1
        assert notice_services.send_digests() == 0
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert "Tổng hợp thông báo" in digest.subject
    assert "Hoạt động thứ ba" in digest.body and "Hoạt động thứ tư" in digest.body
    assert "Hoạt động thứ hai" not in digest.body  # "none" was chosen when it came
    assert NoticePreference.objects.get(user=approver, kind=Kind.SUBMITTED).delivery == Delivery.DIGEST
    # Back to the default: no row is kept.
    notice_services.preferences_set(user=approver, choices={Kind.SUBMITTED: Delivery.IMMEDIATE})
    assert not NoticePreference.objects.filter(user=approver).exists()


def test_the_returned_mail_carries_the_reason(
    activity: Activity, demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    with_email(demo_user("hoankiem.ccb"))
    activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_return(activity=activity, acting_user=demo_user("hanoi.ccb"), reason="Thiếu ảnh.")
    assert len(mail.outbox) == 1
    assert "Lý do: Thiếu ảnh." in mail.outbox[0].body
    assert "bị trả lại" in mail.outbox[0].subject


def test_without_a_mail_server_each_message_is_an_eml_file(
    activity: Activity, demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    with_email(demo_user("hanoi.ccb"))
    with override_settings(EMAIL_BACKEND="phoihop.notices.mail.EmlFileBackend", NOTICES_MAIL_DIR=tmp_path / "mail"):
        with django_capture_on_commit_callbacks(execute=True):
            activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "hanoi.ccb@phoihop.example"
    assert activity.title in str(message["Subject"])
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert f"/activities/{activity.pk}/" in body.get_content()
    assert OutboxMessage.objects.get(recipient__username="hanoi.ccb").status == OutboxStatus.SENT


def _queued(activity: Activity, demo_user: Callable[[str], Any]) -> OutboxMessage:
    """Submit ``activity`` with the approver's mail queued but not yet sent (no commit callbacks)."""
    with_email(demo_user("hanoi.ccb"))
    activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    return OutboxMessage.objects.get(recipient__username="hanoi.ccb")


def test_a_failing_server_is_tried_again_later_and_the_mail_goes_once(
    activity: Activity, demo_user: Callable[[str], Any], time_machine: Any
) -> None:
    message = _queued(activity, demo_user)
    mail.outbox.clear()
    with mock.patch.object(EmailMessage, "send", side_effect=SMTPException("421 try later")):
        assert send_outbox_task.call_local(message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at > timezone.now()
    assert "421" in message.last_error
    assert notice_services.send_due() == 0  # not yet due again
    time_machine.move_to(timezone.now() + timedelta(minutes=5))
    call_command("notices_tick")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(mail.outbox) == 1
    call_command("notices_tick")
    assert send_outbox_task.call_local(message.pk) is False
    assert len(mail.outbox) == 1


def test_sending_twice_sends_once(activity: Activity, demo_user: Callable[[str], Any]) -> None:
    message = _queued(activity, demo_user)
    mail.outbox.clear()
    assert send_outbox_task.call_local(message.pk) is True
    assert send_outbox_task.call_local(message.pk) is False
    assert notice_services.send_due() == 0
    assert len(mail.outbox) == 1


def test_a_message_that_keeps_failing_is_marked_failed(
    activity: Activity, demo_user: Callable[[str], Any], settings: Any
) -> None:
    settings.NOTICES_MAIL_MAX_ATTEMPTS = 3
    message = _queued(activity, demo_user)
    with mock.patch.object(EmailMessage, "send", side_effect=OSError("connection refused")):
        for _attempt in range(3):
            notice_services.send_message(message.pk, now=timezone.now() + timedelta(days=1 + _attempt))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert notice_services.send_due(now=timezone.now() + timedelta(days=30)) == 0


# --- reminders ---------------------------------------------------------------------------------------


def test_due_and_late_reminders_are_written_once(
    half: ReportingPeriod, demo_user: Callable[[str], Any], time_machine: Any
) -> None:
    commune = unit(COMMUNE)
    Report.objects.filter(period=half, unit=commune).delete()
    request, _created = ReportRequest.objects.get_or_create(
        period=half, unit=commune, defaults={"due_date": half.due_date, "requested_by": demo_user("admin")}
    )
    today = timezone.localdate()
    ReportRequest.objects.filter(pk=request.pk).update(due_date=today + timedelta(days=2))
    due_key = f"request:{request.pk}:{Kind.REQUEST_DUE}"
    call_command("notices_tick")
    call_command("notices_tick")
    assert told(Kind.REQUEST_DUE, key=due_key) == {"hoankiem.ccb"}
    assert Notice.objects.filter(key=due_key).count() == 1
    # Three days on, the report is late: one "late" reminder, however often the job runs.
    time_machine.move_to(timezone.now() + timedelta(days=3))
    call_command("notices_tick")
    call_command("notices_tick")
    late_key = f"request:{request.pk}:{Kind.REQUEST_LATE}"
    assert told(Kind.REQUEST_LATE, key=late_key) == {"hoankiem.ccb"}
    assert Notice.objects.filter(key=late_key).count() == 1


def test_a_sent_report_is_not_reminded(half: ReportingPeriod, demo_user: Callable[[str], Any]) -> None:
    reporter = demo_user("hoankiem.ccb")
    commune = unit(COMMUNE)
    report = reporting_services.report_open(period=half, unit=commune, acting_user=reporter)
    if report.is_editable:
        reporting_services.report_submit(report=sign(report, reporter), acting_user=reporter)
    request, _created = ReportRequest.objects.get_or_create(
        period=half, unit=commune, defaults={"due_date": half.due_date, "requested_by": demo_user("admin")}
    )
    ReportRequest.objects.filter(pk=request.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    call_command("notices_tick")
    assert (
        not Notice.objects.filter(key__startswith=f"request:{request.pk}:").exclude(kind=Kind.REQUEST_RECEIVED).exists()
    )


# --- pages and API -----------------------------------------------------------------------------------


def test_the_bell_the_page_and_opening_a_notice(
    activity: Activity, demo_user: Callable[[str], Any], client_as: Callable[[str], Client]
) -> None:
    activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    notice = Notice.objects.get(
        kind=Kind.SUBMITTED,
        recipient__username="hanoi.ccb",
        action="activity.submit",
        url=reverse("activities:detail", kwargs={"pk": activity.pk}),
    )
    client = client_as("hanoi.ccb")
    unread = Notice.objects.filter(recipient=notice.recipient, read_at__isnull=True).count()
    home = client.get(reverse("notices:list"))
    assert home.status_code == 200
    text = home.content.decode()
    assert 'data-testid="notice-bell"' in text
    assert f'<span class="visually-hidden">chưa đọc: </span>{unread}</span>' in text
    assert activity.title in text
    bell = client.get(reverse("notices:bell"))
    assert activity.title in bell.content.decode()
    # Somebody else never sees it.
    assert activity.title not in client_as("tuhoi").get(reverse("notices:list")).content.decode()
    assert client_as("tuhoi").get(reverse("notices:open", kwargs={"pk": notice.pk})).status_code == 404
    # Opening it marks it read and goes to the activity.
    opened = client.get(reverse("notices:open", kwargs={"pk": notice.pk}))
    assert opened.status_code == 302 and opened["Location"] == notice.url
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Mark all read.
    assert client.post(reverse("notices:read-all")).status_code == 302
    assert not Notice.objects.filter(recipient=notice.recipient, read_at__isnull=True).exists()


def test_the_preferences_page_saves_each_kind(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any]
) -> None:
    client = client_as("hoankiem.ccb")
    page = client.get(reverse("notices:preferences"))
    assert page.status_code == 200
    assert "Ngay lập tức" in page.content.decode() and "Tổng hợp hằng ngày" in page.content.decode()
    choices = {kind: Delivery.DIGEST for kind in Kind.values}
    choices[Kind.RETURNED] = Delivery.NONE
    assert client.post(reverse("notices:preferences"), choices).status_code == 302
    saved = dict(NoticePreference.objects.filter(user=demo_user("hoankiem.ccb")).values_list("kind", "delivery"))
    assert saved == {Kind.SUBMITTED: Delivery.DIGEST, Kind.RETURNED: Delivery.NONE}  # the others are defaults
    assert client.post(reverse("notices:preferences"), {**choices, Kind.RETURNED: "fax"}).status_code == 200


def test_the_api_lists_only_ones_own_notices_and_marks_them_read(
    activity: Activity, demo_user: Callable[[str], Any], api_client_as: Callable[[str], Any]
) -> None:
    activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    api = api_client_as("hanoi.ccb")
    rows = api.get("/api/v1/notices/", {"unread": "true"}).json()["results"]
    mine = next(r for r in rows if activity.title in r["title"])
    assert mine["kind"] == Kind.SUBMITTED and mine["link"].endswith(f"/activities/{activity.pk}/")
    assert api_client_as("tuhoi").get(f"/api/v1/notices/{mine['id']}/").status_code == 404
    assert api_client_as("tuhoi").post(f"/api/v1/notices/{mine['id']}/read/").status_code == 404
    answer = api.post(f"/api/v1/notices/{mine['id']}/read/")
    assert answer.status_code == 200 and answer.json()["is_read"] is True
    assert all(
        activity.title not in r["title"] for r in api.get("/api/v1/notices/", {"unread": "true"}).json()["results"]
    )
    assert api.post("/api/v1/notices/read-all/").status_code == 200
    assert api.get("/api/v1/notices/", {"unread": "true"}).json()["count"] == 0


def test_the_bell_costs_one_query(django_assert_num_queries: Any) -> None:
    """Every page renders the bell: one COUNT of the user's unread notices, nothing else."""
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="hanoi.ccb")
    template = Template('{% include "notices/_bell.html" %}')
    with django_assert_num_queries(1):
        template.render(Context({"request": request, "user": request.user}))


def test_a_failure_to_tell_never_undoes_the_event_in_production(
    activity: Activity, demo_user: Callable[[str], Any], settings: Any
) -> None:
    settings.PHOIHOP_GATE = "log"  # production; under DEBUG and in the tests the error is raised
    with mock.patch("phoihop.notices.recipients.approvers", side_effect=RuntimeError("bug")):
        activity_services.activity_submit(activity=activity, acting_user=demo_user("hoankiem.ccb"))
    activity.refresh_from_db()
    assert activity.status == "submitted"
    assert not Notice.objects.filter(url=reverse("activities:detail", kwargs={"pk": activity.pk})).exists()
    settings.PHOIHOP_GATE = "raise"
    with pytest.raises(RuntimeError), mock.patch("phoihop.notices.recipients.approvers", side_effect=RuntimeError):
        activity_services.activity_submit(
            activity=new_activity(demo_user, "Thứ hai"), acting_user=demo_user("hoankiem.ccb")
        )
