"""A report is sent only with a named signer: tests that send one sign it first."""

from __future__ import annotations

from typing import Any

from phoihop.reporting import services
from phoihop.reporting.models import Report
from phoihop.reporting.signers import signer_problems

ASSOCIATION_SIGNER = {"capacity": "TM.", "collective": "BAN THƯỜNG VỤ", "title": "CHỦ TỊCH", "rank": ""}
ARMY_SIGNER = {"capacity": "", "collective": "", "title": "CHỈ HUY TRƯỞNG", "rank": "Đại tá"}
NAMES = ("Nguyễn Văn Thử", "Trần Quang Kiểm")


def named_signers(report: Report) -> list[dict[str, str]]:
    """The report's signers, each given a name (and a real title where the default had none)."""
    signers = []
    for k, unit in enumerate(report.units):
        signer = dict(report.signers[k]) if k < len(report.signers) else {}
        if signer_problems(signer):
            signer.update(ARMY_SIGNER if unit.organisation.code == "qdnd" else ASSOCIATION_SIGNER)
            signer["name"] = NAMES[k % len(NAMES)]
        signers.append(signer)
    return signers


def sign(report: Report, user: Any) -> Report:
    """Save a named signer on the report (through the service), as its writer would."""
    current = Report.objects.get(pk=report.pk)
    return services.report_save(
        report=current, data={"signers": named_signers(current)}, expected_version=current.version, acting_user=user
    )


def signer_form(report: Report) -> dict[str, str]:
    """The report form's signer fields with a named signer (for page tests)."""
    data = {}
    for k, signer in enumerate(named_signers(Report.objects.get(pk=report.pk))):
        for key in ("capacity", "collective", "title", "rank", "name"):
            data[f"signer-{k}-{key}"] = signer.get(key, "")
    return data
