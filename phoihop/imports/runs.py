"""Import runs: starting one (a quick write in the request: the file kept, the job queued), and
running it in the worker (``execute``), where ``services.import_file`` reads the file and writes
its rows as the run's creator.

The pages, the API and nothing else start runs here; the command ``import_data`` runs the
service directly (no run is kept: it prints the result).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.actions import record
from phoihop.imports import registry
from phoihop.imports.models import MAX_KEPT_ERRORS, ImportRun, ImportStatus
from phoihop.imports.permissions import may_import, require_import

logger = logging.getLogger("phoihop.imports")

# The worker reads the run it executes; the rows are then read and written with its creator's scope.
RUNS_THE_IMPORT = "the worker reads the import run it executes; the file's rows are checked with its creator's scope"


class RunStopped(Exception):
    """The run cannot go on (its sender lost the right to import...): the message says why."""


STEP = 5  # progress is written at most every 5 percentage points


def clean_filename(name: str) -> str:
    """The name the user gave the file, as shown back to them: no folders, no control characters,
    NFC, at most 255 characters (the file itself is kept under a random name)."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) <= 5 else base[:255]
    return base or "tep"


def check_upload(upload: Any) -> str:
    """The cleaned name of an uploaded file, or a ValidationError (field ``file``) saying why it
    cannot be imported: empty, too large, or of a type the importer does not read."""
    if upload is None:
        raise ValidationError({"file": _("Hãy chọn tệp cần nhập.")})
    name = clean_filename(getattr(upload, "name", ""))
    size = int(getattr(upload, "size", 0) or 0)
    limit = registry.max_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("Tệp lớn hơn %(limit)s (%(size)s): hãy chia tệp thành nhiều tệp nhỏ hơn.")
                % {"limit": filesizeformat(limit), "size": filesizeformat(size)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if not name.lower().endswith(registry.EXTENSIONS):
        raise ValidationError(
            {
                "file": _("Chỉ nhận tệp Excel (.xlsx, .xlsm) hoặc CSV (.csv, .txt); tệp “%(name)s” không phải.")
                % {"name": name}
            }
        )
    return name


def check_kind(kind: str, programme: Any) -> Any:
    """The import kind of this name, with the programme it needs (ValidationError otherwise)."""
    found = registry.get_kind(kind)
    if found is None:
        raise ValidationError({"kind": _("Không có loại dữ liệu “%(kind)s”.") % {"kind": kind}})
    if found.needs_programme and programme is None:
        raise ValidationError({"programme": _("Nhập %(label)s cần chọn chương trình.") % {"label": found.label}})
    return found


def _start_job(run: ImportRun, acting_user: Any) -> None:
    from phoihop.jobs import services as jobs
    from phoihop.jobs.kinds import IMPORT_RUN

    job = jobs.job_start(kind=IMPORT_RUN, parameters={"run": run.pk}, acting_user=acting_user)
    ImportRun.objects.filter(pk=run.pk).update(job=job)
    run.job = job


def run_start(*, acting_user: Any, kind: str, upload: Any, programme: Any = None, dry_run: bool = True) -> ImportRun:
    """Keep the file and queue its run (a check when ``dry_run``): the job runs after the commit
    (inline in immediate mode). ``programme`` is one the user reads (the caller looked it up
    through the gate)."""
    require_import(acting_user)
    found = check_kind(kind, programme)
    name = check_upload(upload)
    run = ImportRun(
        kind=kind,
        programme=programme if found.needs_programme else None,  # the other kinds take none
        filename=name,
        dry_run=dry_run,
        created_by=acting_user,
    )
    if hasattr(upload, "seek"):
        upload.seek(0)
    run.file.save("upload", File(upload, name=name), save=False)
    try:
        with transaction.atomic():
            run.full_clean()
            run.save()
            record(
                "import.check" if dry_run else "import.start",
                actor=acting_user,
                target=run,
                details={"kind": kind, "programme": getattr(run.programme, "code", ""), "filename": name},
            )
            _start_job(run, acting_user)
    except BaseException:
        run.file.delete(save=False)
        raise
    return run


def run_confirm(*, acting_user: Any, run: ImportRun) -> ImportRun:
    """Import for real the file of a check (``run``, read through the gate by the caller): a new
    run with a copy of the same file. Refused while the check is running or when it found problems."""
    require_import(acting_user)
    if not run.dry_run:
        raise ValidationError(_("Lần này đã là lần nhập thật."))
    if run.status != ImportStatus.DONE:
        raise ValidationError(_("Hãy chờ kiểm tra xong rồi mới nhập."))
    if run.error_count:
        raise ValidationError(_("Tệp còn lỗi: hãy sửa các dòng bị báo lỗi rồi tải tệp lên kiểm tra lại."))
    if not run.file:
        raise ValidationError(_("Tệp của lần kiểm tra này không còn; hãy tải tệp lên lại."))
    check_kind(run.kind, run.programme)
    real = ImportRun(
        kind=run.kind,
        programme=run.programme,
        filename=run.filename,
        dry_run=False,
        source=run,
        created_by=acting_user,
    )
    with run.file.open("rb") as handle:
        real.file.save("upload", File(handle, name=run.filename), save=False)
    try:
        with transaction.atomic():
            real.full_clean()
            real.save()
            record(
                "import.start",
                actor=acting_user,
                target=real,
                details={
                    "kind": real.kind,
                    "programme": getattr(real.programme, "code", ""),
                    "filename": real.filename,
                },
            )
            _start_job(real, acting_user)
    except BaseException:
        real.file.delete(save=False)
        raise
    return real


# --- in the worker --------------------------------------------------------------------------------


@contextmanager
def local_path(field: Any) -> Iterator[Path]:
    """A path on this machine to the stored file (a copy when the storage is not local)."""
    try:
        yield Path(field.path)
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory(prefix="phoihop-import-") as folder:
        copy = Path(folder) / "upload"
        with field.open("rb") as source, copy.open("wb") as dest:
            shutil.copyfileobj(source, dest)
        yield copy


class ProgressMarks:
    """Writes a run's progress where its page can see it while the import runs.

    The importer checks and writes all rows in one transaction (rolled back for a check), so a
    mark written inside it would be seen by nobody before the end. On PostgreSQL the mark goes
    through a connection of its own, committed at once (the run's row is never written inside the
    import's transaction, so nothing waits on it). On SQLite a second writer would wait for the
    import's lock: marks made inside the transaction are skipped, and the end says 100%."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.side: Any = None

    def write(self, percent: int) -> None:
        try:
            if not connection.in_atomic_block:
                _update(self.run_id, progress=percent)
            elif connection.vendor == "postgresql":
                if self.side is None:
                    self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {ImportRun._meta.db_table} SET progress = %s WHERE id = %s",
                        [percent, self.run_id],
                    )
        except DatabaseError:  # shown only; the next mark or the end says where it stands
            logger.info("import %s: progress %s%% not written this time", self.run_id, percent)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _update(run_id: int, **fields: Any) -> None:
    ImportRun.objects.unrestricted(RUNS_THE_IMPORT).filter(pk=run_id).update(**fields)


def error_dicts(errors: Any) -> list[dict[str, Any]]:
    """The problems of a result as JSON rows {row, column, value, message}."""
    rows = []
    for error in errors or []:
        get = error.get if isinstance(error, dict) else lambda key, e=error: getattr(e, key, "")
        rows.append(
            {
                "row": int(get("row") or 0),
                "column": str(get("column") or ""),
                "value": "" if get("value") is None else str(get("value"))[:500],
                "message": str(get("message") or ""),
            }
        )
    return rows


def execute(run_id: int, progress: Callable[[int], None] | None = None) -> ImportRun:
    """Run an import run (once): read and check its file as its creator, write unless a check,
    and keep the result on the run. A file refused as a whole ends the run as failed, with the
    reason as its one problem (row 0)."""
    claimed = _update_claim(run_id)
    run = ImportRun.objects.unrestricted(RUNS_THE_IMPORT).select_related("created_by", "programme").get(pk=run_id)
    if not claimed:
        return run
    shown = [0]
    marks = ProgressMarks(run_id)

    def report(percent: int) -> None:
        percent = max(1, min(99, int(percent)))
        if progress is not None:
            progress(percent)
        if percent - shown[0] >= STEP:
            shown[0] = percent
            marks.write(percent)

    fields: dict[str, Any]
    user = run.created_by
    try:
        if not user.is_active or not may_import(user):
            raise RunStopped(_("Tài khoản gửi tệp không còn quyền nhập dữ liệu; tệp không được nhập."))
        if registry.get_kind(run.kind) is None:
            raise RunStopped(_("Loại dữ liệu này không còn được hỗ trợ."))
        with local_path(run.file) as path:
            result = registry.import_file(
                acting_user=user,
                kind=run.kind,
                path=path,
                filename=run.filename,
                programme=run.programme,
                dry_run=run.dry_run,
                progress=report,
            )
    except registry.refused_errors() as exc:
        message = str(exc)
        fields = _failed(message, [{"row": 0, "column": "", "value": run.filename, "message": message}])
    except RunStopped as exc:
        fields = _failed(str(exc), [{"row": 0, "column": "", "value": "", "message": str(exc)}])
    except Exception:
        logger.exception("import %s (%s) failed", run_id, run.kind)
        message = _("Nhập dữ liệu không thành công do lỗi hệ thống; lỗi đã được ghi lại để quản trị xử lý.")
        fields = _failed(message, [])
    else:
        errors = error_dicts(getattr(result, "errors", []))
        fields = {} if not is_refusal(result, errors) else _failed(" ".join(e["message"] for e in errors), errors)
    if not fields:
        fields = {
            "status": ImportStatus.DONE,
            "total_rows": int(getattr(result, "total_rows", 0) or 0),
            "created": int(getattr(result, "created", 0) or 0),
            "updated": int(getattr(result, "updated", 0) or 0),
            "unchanged": int(getattr(result, "unchanged", 0) or 0),
            "error_count": len(errors),
            "errors": errors[:MAX_KEPT_ERRORS],
            "note": str(getattr(result, "note", "") or ""),
            "message": "",
        }
    marks.close()
    fields.update(progress=100, finished_at=timezone.now())
    _update(run_id, **fields)
    run.refresh_from_db()
    return run


def is_refusal(result: Any, errors: list[dict[str, Any]]) -> bool:
    """Whether a result is the refusal of the whole file (no row read, only problems of row 0)."""
    return bool(errors) and not getattr(result, "total_rows", 0) and all(not e["row"] for e in errors)


def _update_claim(run_id: int) -> bool:
    return bool(
        ImportRun.objects.unrestricted(RUNS_THE_IMPORT)
        .filter(pk=run_id, status=ImportStatus.PENDING)
        .update(status=ImportStatus.RUNNING, progress=1, started_at=timezone.now())
    )


def _failed(message: str, errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "status": ImportStatus.FAILED,
        "message": message[:500],
        "errors": errors,
        "error_count": len(errors),
    }
