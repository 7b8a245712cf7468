"""Scoping-matrix specs of the commendation pages (see tests/matrix_ext/__init__.py).

Each side gets, through the services, nominations proposed by its commune association's
reporter (Hà Nội: hoankiem.ccb on Phường Hoàn Kiếm; Cà Mau: a reporter made here on the
matrix's Cà Mau commune) for two veterans of that commune:

    draft      Kỷ niệm chương (knc-ccb), a draft with a dossier file: edit, submit, delete, the
               achievement report, the files;
    endorse    Bằng khen of the association's centre (bk-ccb-tw), submitted, held at the province:
               endorse, return, reject;
    decide     Giấy khen of the province's association (gk-ccb-tinh), submitted, held at the
               province, which awards it: decide;
    decided    the same Giấy khen for the other veteran, decided by the province's approver into
               a decision (decision pages, the history).

Who writes: proposer side: reporters and approvers of the commune's subtree or above
(hanoi.ccb, tuhoi, admin); holder side: approvers of the province or above (the same three).
A unit administrator reads only (403). The other province's nominations are "not found" (404).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.accounts.models import User
from phoihop.accounts.services import role_assign
from phoihop.commendations import services
from phoihop.commendations.models import AwardType, Decision, Nomination
from phoihop.core.scoping import Role
from phoihop.core.text import fold
from phoihop.orgunits.models import Person
from phoihop.programmes.models import Phase

NAMES = {"hn": "Hà Nội", "cm": "Cà Mau"}
# Each province's signer: Hà Nội's signatory (its vice-chairman); Cà Mau lists none, so any named
# chairman signs (phoihop/reporting/authority.py).
SIGNERS = {"hn": {"signer_name": "Lê Quang Vinh"}, "cm": {"signer_title": "Chủ tịch", "signer_name": "Trần Văn Ký"}}
VETERANS = {"hn": ("Lương Văn Tiến", "Quách Thị Nhàn"), "cm": ("Lâm Văn Đước", "Thạch Thị Sen")}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CAMAU_REPORTER = "camau.xa.ma-tran"


def _award(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


def _propose(user: Any, commune: Any, person: Person, code: str, summary: str) -> Nomination:
    return services.nomination_create(
        acting_user=user,
        proposing_unit=commune,
        person=person,
        award=_award(code),
        phase=Phase.objects.get(programme__code="QDND-CCB", code="2022-2027"),
        year=2026,
        summary=summary,
    )


def extend(w: Any, m: Any) -> None:
    """Made only for the tests of these routes, or on first use (``LazyExtra``)."""
    w.extra.later("commendations.", lambda: _build(w, m), routes=("commendations:",))
    w.camau_marks += [*VETERANS[m.CM], CAMAU_REPORTER]


def _build(w: Any, m: Any) -> None:
    services.awards_load()
    admin = w.users["admin"]
    reporter = User.objects.create_user(username=CAMAU_REPORTER, first_name="Thử", last_name="Ma Trận")
    role_assign(acting_user=admin, user=reporter, unit=w.unit[m.CM], role=Role.REPORTER)
    proposers = {m.HN: w.users["hoankiem.ccb"], m.CM: reporter}
    approvers = {m.HN: w.users["hanoi.ccb"], m.CM: w.users["camau.ccb"]}
    for side in (m.HN, m.CM):
        commune, user = w.unit[side], proposers[side]
        first, second = (
            Person.objects.create(
                full_name=name, birth_year=1957, rank="trung-uy", positions=["Hội viên"], unit=commune
            )
            for name in VETERANS[side]
        )

        def propose(code: str, person: Person, user: Any = user, side: str = side) -> Nomination:
            return _propose(user, w.unit[side], person, code, f"Thành tích ma trận {NAMES[side]}.")

        draft = propose("knc-ccb", first)
        draft = services.nomination_save(
            nomination=draft, data={"achievement_report": "Báo cáo đã sửa tay."}, acting_user=user
        )
        dossier = services.nomination_file_add(
            nomination=draft,
            kind="submission",
            upload=SimpleUploadedFile("to-trinh.pdf", PDF_BYTES),
            acting_user=user,
        )
        endorse = services.nomination_submit(nomination=propose("bk-ccb-tw", first), acting_user=user)
        decide = services.nomination_submit(nomination=propose("gk-ccb-tinh", first), acting_user=user)
        decided = services.nomination_submit(nomination=propose("gk-ccb-tinh", second), acting_user=user)
        award = services.nomination_decide(
            nomination=decided,
            acting_user=approvers[side],
            issued_on=date(2026, 12, 1),
            subject=f"Về việc tặng Giấy khen ma trận {NAMES[side]}",
            **SIGNERS[side],
        )
        w.extra.setdefault("commendations.person", {})[side] = first
        w.extra.setdefault("commendations.decorated", {})[side] = second
        w.extra.setdefault("commendations.draft", {})[side] = draft
        w.extra.setdefault("commendations.file", {})[side] = dossier
        w.extra.setdefault("commendations.endorse", {})[side] = endorse
        w.extra.setdefault("commendations.decide", {})[side] = decide
        w.extra.setdefault("commendations.decision", {})[side] = award.decision


def _get(w: Any, name: str, side: str) -> Any:
    return w.extra[f"commendations.{name}"][side]


def _pk(name: str) -> Any:
    return lambda w, side: {"pk": _get(w, name, side).pk}


def file_kwargs(w: Any, side: str) -> dict[str, Any]:
    return {"pk": _get(w, "draft", side).pk, "file_pk": _get(w, "file", side).pk}


def person_name(w: Any, side: str) -> str:
    return str(_get(w, "person", side).full_name)


def decorated_name(w: Any, side: str) -> str:
    return str(_get(w, "decorated", side).full_name)


def decision_subject(w: Any, side: str) -> str:
    return str(_get(w, "decision", side).subject)


def nomination_state(name: str) -> Any:
    def state(w: Any, side: str) -> Any:
        row = Nomination.objects.filter(pk=_get(w, name, side).pk).first()
        if row is None:
            return None
        return (
            row.status,
            row.holder_id,
            row.decision_id,
            row.summary,
            row.achievement_report,
            row.files.count(),
            row.steps.count(),
            row.history.count(),
        )

    return state


def new_nomination_state(w: Any, side: str) -> Any:
    return Nomination.objects.filter(person=_get(w, "person", side)).count()


def new_nomination_form(w: Any, side: str) -> dict[str, Any]:
    phase = Phase.objects.get(programme__code="QDND-CCB", code="2022-2027")
    return {
        "proposing_unit": w.unit[side].code,
        "nominee_kind": "individual",
        "person": _get(w, "person", side).pk,
        "nominee_unit": "",
        "award": _award("cstd-co-so-ccb").pk,
        "phase": phase.pk,
        "year": 2026,
        "summary": "Đề nghị mới của ma trận.",
    }


def edit_form(w: Any, side: str) -> dict[str, Any]:
    return {"year": 2026, "summary": "Thành tích đã sửa.", "submission_text": "", "achievement_report": "x"}


def file_form(w: Any, side: str) -> dict[str, Any]:
    return {"kind": "minutes", "file": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES)}


def decide_form(w: Any, side: str) -> dict[str, Any]:
    return {
        "decision": "",
        "issued_on": "2026-12-15",
        "subject": "Về việc tặng Giấy khen",
        **SIGNERS[side],  # numbered only with a named signer, the body's signatory
    }


def no_payload(w: Any, side: str) -> dict[str, Any]:
    return {}


def history_query(w: Any, side: str) -> dict[str, str]:
    return {"person": str(_get(w, "decorated", side).pk)}


def decision_state(w: Any, side: str) -> Any:
    return Decision.objects.filter(awarding_unit=w.province[side]).count()


def routes(m: Any) -> dict[str, Any]:
    Route = m.Route
    post: dict[str, Any] = {"get": False, "method": "post", **m.EDITOR_WRITES}

    def on(name: str, payload: Any = no_payload, **extra: Any) -> Any:
        return Route(m.OBJECT, kwargs=_pk(name), payload=payload, state=nomination_state(name), **(post | extra))

    return {
        "commendations:nomination-list": Route(m.LIST, shows=person_name),
        "commendations:nomination-create": Route(
            m.CREATE,
            readers=m.EDITORS,
            method="post",
            payload=new_nomination_form,
            state=new_nomination_state,
            refused={"approver": 200, "unit_admin": 403},
            **m.EDITOR_WRITES,
        ),
        "commendations:nomination-detail": Route(m.OBJECT, kwargs=_pk("draft"), shows=person_name),
        "commendations:nomination-edit": Route(
            m.OBJECT,
            kwargs=_pk("draft"),
            readers=m.EDITORS,
            method="post",
            payload=edit_form,
            state=nomination_state("draft"),
            **m.EDITOR_WRITES,
        ),
        "commendations:nomination-report": on("draft"),
        "commendations:nomination-submit": on("draft"),
        "commendations:nomination-delete": on("draft"),
        "commendations:nomination-endorse": on("endorse"),
        "commendations:nomination-return": on("endorse", lambda w, s: {"return-reason": "Bổ sung hồ sơ."}),
        "commendations:nomination-reject": on("endorse", lambda w, s: {"reject-reason": "Chưa đủ thành tích."}),
        "commendations:nomination-decide": on("decide", decide_form),
        "commendations:nomination-file-add": on("draft", file_form),
        "commendations:nomination-file": Route(m.OBJECT, kwargs=file_kwargs),
        "commendations:nomination-achievement": Route(
            m.OBJECT, kwargs=lambda w, side: {**_pk("draft")(w, side), "fmt": "docx"}
        ),
        "commendations:nomination-file-remove": Route(
            m.OBJECT, kwargs=file_kwargs, payload=no_payload, state=nomination_state("draft"), **post
        ),
        "commendations:decision-list": Route(m.LIST, shows=decision_subject),
        "commendations:decision-detail": Route(m.OBJECT, kwargs=_pk("decision"), shows=decorated_name),
        "commendations:decision-docx": Route(m.OBJECT, kwargs=_pk("decision")),
        "commendations:decision-xlsx": Route(m.OBJECT, kwargs=_pk("decision")),
        "commendations:award-list": Route(m.OPEN),
        "commendations:history": Route(m.OBJECT, query=history_query, shows=decorated_name),
    }


def probes(m: Any) -> list[Any]:
    return [
        m.Probe("commendations:nomination-list", lambda w: {"q": fold(VETERANS[m.CM][0])}),
        m.Probe("commendations:nomination-list", lambda w: {"status": "submitted", "award": "gk-ccb-tinh"}),
        m.Probe("commendations:nomination-list", lambda w: {"q": w.label[m.CM]}),
        m.Probe("commendations:decision-list"),
    ]
