"""Background jobs (phoihop/jobs, ADR 0015): the activity export runs as a job of its creator,
with their scope, streamed without a model object per row; nobody else sees the job.

Actors (demo): camau.ccb (Cà Mau's veterans' association), hanoi.ccb (Hà Nội's), admin (system
administrator, sees everything).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phoihop.activities.models import Activity
from phoihop.audit.access import EXPORT
from phoihop.audit.models import ActionLog
from phoihop.commendations.models import Award
from phoihop.documents.pdf import pdf_available
from phoihop.jobs import kinds, services, tasks
from phoihop.jobs.models import Job, JobStatus
from phoihop.orgunits.models import OrgUnit
from phoihop.reporting.models import DocumentJob, Report

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path


def read_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def start(client: Client, capture: Any, query: str = "") -> tuple[Any, Job]:
    with capture(execute=True):
        response = client.post(reverse("activities:export") + (f"?{query}" if query else ""))
    job = Job.objects.latest("pk")
    return response, job


def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An exported row's identity: title, start and end date, lead unit's code."""
    return (row[3], row[1].date(), row[2].date(), row[8])


def test_starting_an_export_answers_at_once_and_builds_after_the_commit(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("camau.ccb")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("activities:export"))
    job = Job.objects.get(created_by=demo_user("camau.ccb"))
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job", kwargs={"pk": job.pk})
    # Nothing was built in the request: the build waits for the commit, in the worker.
    assert job.status == JobStatus.PENDING and not job.file and len(callbacks) == 1
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Đang chờ" in page
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and f'hx-get="/jobs/{job.pk}/"' in fragment
    assert client.get(reverse("jobs:download", kwargs={"pk": job.pk})).status_code == 404
    callbacks[0]()  # the worker runs it
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and reverse("jobs:download", kwargs={"pk": job.pk}) in fragment


def test_a_get_of_the_export_only_asks_to_confirm(client_as: Callable[[str], Client]) -> None:
    response = client_as("camau.ccb").get(reverse("activities:export"), {"q": "tuyen truyen", "page": "2"})
    text = response.content.decode()
    assert response.status_code == 200 and not Job.objects.exists()
    assert 'method="post"' in text and "/activities/export/?q=tuyen+truyen" in text and "page=2" not in text


def test_the_lists_export_button_starts_the_job_in_one_click(client_as: Callable[[str], Client]) -> None:
    client = client_as("camau.ccb")
    text = client.get(reverse("activities:list"), {"q": "tuyen truyen"}).content.decode()
    form = text[text.index('<form method="post" action="/activities/export/') :]
    form = form[: form.index("</form>")]
    assert "q=tuyen+truyen" in form and 'data-testid="export"' in form and "csrfmiddlewaretoken" in form
    assert not Job.objects.exists()


def test_the_file_holds_exactly_the_activities_the_user_may_see(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    user = demo_user("camau.ccb")
    client = client_as("camau.ccb")
    _response, job = start(client, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.message
    download = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    rows = read_xlsx(body(download))[1:]
    visible = Activity.objects.restrict(user, "view").select_related("lead_unit")
    expected = Counter((a.title, a.start_date, a.end_date, a.lead_unit.code) for a in visible)
    assert expected and Counter(key(row) for row in rows) == expected
    hanoi = OrgUnit.objects.get(code="CCB-HANOI").path
    lead_paths = OrgUnit.objects.filter(code__in={row[8] for row in rows}).values_list("path", flat=True)
    assert not any(path.startswith(hanoi) for path in lead_paths)
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))


def test_the_streamed_rows_equal_the_activities_read_as_objects(
    demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Same content as the export built from model objects: every column, every figure."""
    user = demo_user("hanoi.ccb")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=user)
    job.refresh_from_db()
    rows = read_xlsx(job.file.read())
    header, rows = rows[0], rows[1:]
    activities = list(
        Activity.objects.restrict(user, "view")
        .select_related("phase__programme", "area", "lead_unit")
        .prefetch_related("partners", "values__indicator")
        .order_by("-end_date", "-pk")
    )
    assert len(rows) == len(activities) > 0
    columns = {name: i for i, name in enumerate(header)}
    for row, a in zip(rows, activities, strict=True):
        assert key(row) == (a.title, a.start_date, a.end_date, a.lead_unit.code)
        assert row[4] == f"{a.phase.programme.code} {a.phase.name}"
        assert (row[5] or "") == (a.area.name if a.area_id else "")
        assert row[7] == a.lead_unit.display_name
        assert sorted((row[9] or "").split("; ")) == sorted([u.display_name for u in a.partners.all()] or [""])
        assert (row[10], row[11], row[12]) == (a.participants_lead, a.participants_partner, a.get_status_display())
        assert (row[-1] or "") == a.description
        for v in a.values.all():
            assert row[columns[f"{v.indicator.name} ({v.indicator.unit_of_measure})"]] == v.value


def test_another_user_cannot_see_or_download_the_job(
    client_as: Callable[[str], Client],
    api_client_as: Callable[[str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _response, job = start(client_as("camau.ccb"), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    routes = [
        reverse("jobs:job", kwargs={"pk": job.pk}),
        reverse("jobs:download", kwargs={"pk": job.pk}),
        reverse("api:job-detail", kwargs={"pk": job.pk}),
        reverse("api:job-download", kwargs={"pk": job.pk}),
    ]
    for url in routes:
        assert client_as("hanoi.ccb").get(url).status_code == 404, url
        assert api_client_as("hoankiem.ccb").get(url).status_code == 404, url
        assert client_as("camau.ccb").get(url).status_code == 200, url
        assert client_as("admin").get(url).status_code == 200, url  # a system administrator
    assert (
        client_as("hanoi.ccb").get(reverse("jobs:job", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true").status_code
        == 404
    )
    assert api_client_as("hanoi.ccb").get(reverse("api:job-list")).json()["results"] == []
    assert f'href="/jobs/{job.pk}/"' not in client_as("hanoi.ccb").get(reverse("jobs:list")).content.decode()


def test_a_failing_build_marks_the_job_failed_with_a_vietnamese_message(
    client_as: Callable[[str], Client],
    demo_user: Callable[[str], Any],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(*args: Any) -> kinds.Output:
        raise RuntimeError("disk full")

    kind = kinds.KINDS[kinds.ACTIVITY_EXPORT]
    monkeypatch.setitem(kinds.KINDS, kinds.ACTIVITY_EXPORT, kinds.Kind(kind.name, kind.label, broken, kind.back))
    client = client_as("camau.ccb")
    _response, job = start(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert job.message.startswith("Tạo tệp không thành công") and "disk full" not in job.message
    page = client.get(reverse("jobs:job", kwargs={"pk": job.pk})).content.decode()
    assert "alert-danger" in page and "Tạo tệp không thành công" in page and "every 1s" not in page
    assert client.get(reverse("jobs:download", kwargs={"pk": job.pk})).status_code == 404
    # A refusal the build explains (here: the account was closed meanwhile) is shown as it is.
    monkeypatch.setitem(kinds.KINDS, kinds.ACTIVITY_EXPORT, kind)
    user = demo_user("camau.ccb")
    job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    tasks.run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == "Tài khoản yêu cầu đã bị khóa; không tạo tệp."


def test_a_job_runs_once(demo_user: Callable[[str], Any]) -> None:
    job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=demo_user("camau.ccb"))
    tasks.run(job.pk)
    job.refresh_from_db()
    finished = job.finished_at
    tasks.run(job.pk)  # queued twice: the second run finds it claimed
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.finished_at == finished


def test_the_export_reads_a_constant_number_of_queries_whatever_its_size(
    demo_user: Callable[[str], Any], django_assert_max_num_queries: Any
) -> None:
    def run(username: str, query: list[Any]) -> tuple[int, int]:
        job = services.job_start(
            kind=kinds.ACTIVITY_EXPORT, parameters={"query": query}, acting_user=demo_user(username)
        )
        with CaptureQueriesContext(connection) as queries:
            tasks.run(job.pk)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.message
        return len(read_xlsx(job.file.read())) - 1, len(queries)

    small_rows, small_queries = run("camau.ccb", [["q", ["thu loc khong co"]]])
    national_rows, national_queries = run("admin", [])
    assert small_rows == 0 and national_rows > 1000
    # At most 20 progress writes (one each 5%) tell the two apart: no query per row.
    assert national_queries <= small_queries + 20
    job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=demo_user("admin"))
    with django_assert_max_num_queries(small_queries + 20):
        tasks.run(job.pk)


def test_the_api_starts_an_export_and_gives_its_status_and_file(
    api_client_as: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = api_client_as("camau.ccb")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:job-list"), {"kind": "activities.export", "filters": {"status": "approved"}}, format="json"
        )
    assert response.status_code == 202, response.content
    data = response.json()
    assert response["Location"].endswith(reverse("api:job-detail", kwargs={"pk": data["id"]}))
    status = client.get(reverse("api:job-detail", kwargs={"pk": data["id"]})).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    rows = read_xlsx(body(download))[1:]
    assert rows and {row[12] for row in rows} == {"Đã duyệt"}
    bad = client.post(reverse("api:job-list"), {"kind": "activities.export", "filters": {"x": "1"}}, format="json")
    assert bad.status_code == 400
    assert client.post(reverse("api:job-list"), {"kind": "reports.delete"}, format="json").status_code == 400


def test_the_job_list_shows_ones_own_jobs(
    client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("camau.ccb")
    _response, job = start(client, django_capture_on_commit_callbacks)
    text = client.get(reverse("jobs:list")).content.decode()
    assert re.search(rf'href="/jobs/{job.pk}/"', text) and "Danh sách hoạt động phối hợp (Excel)" in text


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_a_decisions_pdf_is_a_job_of_its_reader_and_each_download_is_logged(
    api_client_as: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    award = Award.objects.filter(person__isnull=False).select_related("decision").first()
    assert award is not None
    decision = award.decision
    client = api_client_as("admin")
    document = reverse("api:decision-document", kwargs={"pk": decision.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(document, {"file_format": "pdf"})
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert response["Location"].endswith(reverse("api:job-detail", kwargs={"pk": job.pk}))
    assert job.status == JobStatus.DONE, job.message
    logs = ActionLog.objects.filter(action=EXPORT, target_id=str(decision.pk))
    before = logs.count()
    download = client.get(response.json()["url"] + "download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert body(download).startswith(b"%PDF")
    assert logs.count() == before + 1 and logs.latest("pk").details["format"] == "pdf"


def test_old_finished_jobs_and_their_files_are_purged(demo_user: Callable[[str], Any]) -> None:
    user = demo_user("camau.ccb")
    jobs = []
    for _ in range(2):
        job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=user)
        tasks.run(job.pk)
        jobs.append(Job.objects.get(pk=job.pk))
    old, recent = jobs
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=tasks.KEEP_DAYS + 1))
    running = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=user)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, created_at=timezone.now() - timedelta(days=30))
    path = Path(old.file.path)
    assert path.exists()
    call_command("purge_jobs", stdout=io.StringIO())
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not path.exists() and Path(recent.file.path).exists()


def test_the_report_pages_pdf_button_builds_the_pdf_in_the_background(
    client_as: Callable[[str], Client], demo_user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    report = Report.objects.restrict(demo_user("hanoi.ccb"), "view").order_by("pk").first()
    assert report is not None
    client = client_as("hanoi.ccb")
    page = client.get(reverse("reporting:report", kwargs={"pk": report.pk})).content.decode()
    start = reverse("reporting:report-job-create", kwargs={"pk": report.pk})
    assert re.search(rf'action="{start}">.*?name="format" value="pdf"', page)
    assert reverse("reporting:report-document", kwargs={"pk": report.pk, "fmt": "pdf"}) not in page
    if not pdf_available():
        return
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start, {"format": "pdf"})
    job = DocumentJob.objects.filter(report=report, format="pdf").latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("reporting:job", kwargs={"pk": job.pk})
    assert job.status == JobStatus.DONE, job.message
    download = client.get(reverse("reporting:job-download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and body(download).startswith(b"%PDF")


def test_a_progress_mark_that_cannot_be_written_does_not_fail_the_job(
    demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite refuses a write on a connection still reading the rows once another connection has
    # written (seen under load: "database is locked"). The progress bar is only shown: the export
    # goes on, and the job's end is written as usual.
    from django.db import OperationalError

    written = tasks._update
    refused: list[object] = []

    def refuse_progress(job_id: int, **fields: object) -> None:
        if set(fields) == {"progress"}:
            refused.append(fields["progress"])
            raise OperationalError("database is locked")
        written(job_id, **fields)

    monkeypatch.setattr(tasks, "_update", refuse_progress)
    job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=demo_user("camau.ccb"))
    tasks.run(job.pk)
    job.refresh_from_db()
    assert refused, "the export marks its progress"
    assert job.status == JobStatus.DONE and job.progress == 100 and job.file
    assert len(read_xlsx(job.file.read())) > 1


def test_a_job_whose_database_went_away_is_tried_again_and_finishes(
    demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The primary died mid-build: the worker sees the database error (huey retries the task), and
    the retry takes the job back from "running" and builds it; a plain second run would not."""
    from django.db import OperationalError

    kind = kinds.KINDS[kinds.ACTIVITY_EXPORT]

    def dead(*args: Any) -> kinds.Output:
        raise OperationalError("server closed the connection unexpectedly")

    job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=demo_user("camau.ccb"))
    with monkeypatch.context() as patch:
        patch.setitem(kinds.KINDS, kinds.ACTIVITY_EXPORT, kinds.Kind(kind.name, kind.label, dead, kind.back))
        with pytest.raises(OperationalError):
            tasks.run(job.pk, last_try=False)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # not marked failed: it will be tried again
    tasks.run(job.pk)  # a second queueing of the task does not run it twice
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    tasks.run(job.pk, retry=True)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file


@pytest.mark.parametrize("immediate", [False, True])
def test_the_last_try_marks_the_job_failed_never_left_running(
    demo_user: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch, settings: Any, immediate: bool
) -> None:
    """With a worker, huey's tries before the last raise (and are retried); the last one, or the
    only one without a worker (immediate mode runs no retry), marks the job failed with a message
    that says to start it again."""
    from django.db import OperationalError

    kind = kinds.KINDS[kinds.ACTIVITY_EXPORT]

    def dead(*args: Any) -> kinds.Output:
        raise OperationalError("server closed the connection unexpectedly")

    settings.HUEY = {**settings.HUEY, "immediate": immediate}
    monkeypatch.setitem(kinds.KINDS, kinds.ACTIVITY_EXPORT, kinds.Kind(kind.name, kind.label, dead, kind.back))
    job = services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=demo_user("camau.ccb"))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)  # immediate mode ran it already
    first, last = SimpleNamespace(retries=tasks.RETRIES), SimpleNamespace(retries=0)
    if not immediate:
        with pytest.raises(OperationalError):
            tasks.run_job_task.func(job.pk, task=first)
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING
    tasks.run_job_task.func(job.pk, task=first if immediate else last)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert job.message == "Cơ sở dữ liệu tạm thời không phản hồi nên chưa tạo được tệp; hãy tạo lại sau ít phút."


def test_a_job_cut_off_while_running_is_marked_failed_by_the_purge(demo_user: Callable[[str], Any]) -> None:
    user = demo_user("camau.ccb")
    cut, fresh = (services.job_start(kind=kinds.ACTIVITY_EXPORT, parameters={}, acting_user=user) for _ in range(2))
    Job.objects.filter(pk=cut.pk).update(status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(hours=25))
    Job.objects.filter(pk=fresh.pk).update(status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(hours=1))
    tasks.purge()
    cut.refresh_from_db()
    fresh.refresh_from_db()
    assert cut.status == JobStatus.FAILED and "hãy tạo lại" in cut.message
    assert fresh.status == JobStatus.RUNNING
