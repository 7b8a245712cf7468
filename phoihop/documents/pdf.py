"""DOCX to PDF through LibreOffice headless (``soffice``), one private profile per conversion."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from phoihop.core.services import Unavailable

UNAVAILABLE_MESSAGE = (
    "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF. Hãy tải bản Word (DOCX) "
    "hoặc nhờ quản trị cài gói libreoffice-writer-nogui."
)


class PdfUnavailable(Unavailable):
    """LibreOffice is not installed: PDF cannot be made on this server."""

    def __init__(self, message: str = UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)


class PdfFailed(Unavailable):
    """LibreOffice ran but gave no PDF (error or timeout); ``detail`` holds its output for the logs."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx: bytes, *, timeout: int = 180) -> bytes:
    """The PDF of a DOCX, converted by LibreOffice headless in a temporary folder of its own.

    Each run gets its own LibreOffice profile: two conversions sharing one profile collide.
    """
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="phoihop-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "van-ban.docx"
        source.write_bytes(docx)
        out = folder / "pdf"
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            str(source),
        ]
        # A session of its own, so that a timeout ends LibreOffice's whole process group.
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp, start_new_session=True
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfFailed(
                f"LibreOffice chưa chuyển xong văn bản sang PDF sau {timeout} giây. "
                "Hãy thử lại sau hoặc tải bản Word (DOCX)."
            ) from None
        pdf = out / "van-ban.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = (stdout + stderr).decode("utf-8", "replace")[-2000:]
            raise PdfFailed(
                f"LibreOffice không chuyển được văn bản sang PDF (mã lỗi {process.returncode}). "
                "Hãy tải bản Word (DOCX) hoặc báo quản trị hệ thống.",
                detail,
            )
        return pdf.read_bytes()
