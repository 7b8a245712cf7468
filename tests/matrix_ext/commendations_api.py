"""Scoping-matrix specs of the commendations API: award forms and titles, nominations with their
transitions and dossier files, decisions and their documents, awards (see
tests/matrix_ext/__init__.py).

The objects are made through the services, on each side, by the province's approver (hanoi.ccb,
camau.ccb) for the side's commune association, in the province programme's phase the matrix
makes (2025–2030), each for a person of its own made here:

* a draft (Giấy khen of the provincial association) with a signed submission as its file;
* a nomination for the association centre's Bằng khen, sent: held by the province, one step
  below the awarding unit (to endorse, return or reject);
* a nomination for the provincial Giấy khen, sent: held by the province, which awards it (to decide);
* one decided by the province: its decision and its award.

Readers: everyone of the province (unit administrators included) and above. Writers: reporters
and approvers of the proposing subtree (the draft's edits, submission, files) and approvers of the
holding unit or above (endorse, return, reject, decide, decisions): hanoi.ccb, tuhoi, admin; a
unit administrator gets 403. The other province's records are "not found" (404; 400 for codes
and ids in a body). The catalogue is reference data, the same for everyone.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.commendations import services
from phoihop.commendations.models import AwardType, Decision, Nomination, NominationFile
from phoihop.orgunits.models import Person

NAMES = {"hn": "Hà Nội", "cm": "Cà Mau"}
# Each province's signer: Hà Nội's signatory (its vice-chairman); Cà Mau lists none, so any named
# chairman signs (phoihop/reporting/authority.py).
SIGNERS = {"hn": {"signer_name": "Lê Quang Vinh"}, "cm": {"signer_title": "Chủ tịch", "signer_name": "Trần Văn Ký"}}
WRITER_OF = {"hn": "hanoi.ccb", "cm": "camau.ccb"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILE_NAME = "to-trinh-thu-api.pdf"
NEW_DECISION = "Quyết định mới của ma trận API khen thưởng"

OK = {"hanoi.ccb": 200, "tuhoi": 200, "admin": 200}
DENIED = {"hanoi.admin": 403}
# Codes and ids of the other province in a body are "not found", like ones that do not exist.
REFUSED_400 = {"approver": 400, "unit_admin": 400}


def person_name(key: str, side: str) -> str:
    return f"Hội viên thử API khen thưởng {key} {NAMES[side]}"


def decision_subject(side: str) -> str:
    return f"Về việc khen thưởng thử API {NAMES[side]}"


def _propose(writer: Any, unit: Any, phase: Any, side: str, key: str, award: AwardType) -> Nomination:
    return services.nomination_create(
        acting_user=writer,
        proposing_unit=unit,
        person=Person.objects.get(full_name=person_name(key, side), unit=unit),
        award=award,
        phase=phase,
        year=2026,
        summary=f"Thành tích thử API {key} {NAMES[side]}",
    )


KEYS = ("draft", "sent", "top", "done", "new")
ROUTE_PREFIXES = ("api:nomination-", "api:decision-", "api:award-list", "api:award-detail")


def extend(w: Any, m: Any) -> None:
    """Made only for the tests of these routes, or on first use (``LazyExtra``)."""
    w.extra.later("cnapi_", lambda: _build(w, m), routes=ROUTE_PREFIXES)
    w.camau_marks.extend([*(person_name(key, m.CM) for key in KEYS), decision_subject(m.CM)])


def _build(w: Any, m: Any) -> None:
    names = KEYS
    services.awards_load()
    objects: dict[str, dict[str, Any]] = {
        f"cnapi_{name}": {} for name in (*names, "person_new", "file", "decision", "award")
    }
    province_form = AwardType.objects.get(code="gk-ccb-tinh")
    centre_form = AwardType.objects.get(code="bk-ccb-tw")
    for side in (m.HN, m.CM):
        writer = w.users[WRITER_OF[side]]
        unit, phase = w.unit[side], w.phase[side]
        people = {
            key: Person.objects.create(full_name=person_name(key, side), positions=["Hội viên"], unit=unit)
            for key in names
        }
        objects["cnapi_person_new"][side] = people["new"]

        draft = _propose(writer, unit, phase, side, "draft", province_form)
        upload = SimpleUploadedFile(FILE_NAME, PDF_BYTES, content_type="application/pdf")
        objects["cnapi_file"][side] = services.nomination_file_add(
            nomination=draft, kind="submission", upload=upload, acting_user=writer
        )
        objects["cnapi_draft"][side] = draft
        objects["cnapi_sent"][side] = services.nomination_submit(
            nomination=_propose(writer, unit, phase, side, "sent", centre_form), acting_user=writer
        )
        objects["cnapi_top"][side] = services.nomination_submit(
            nomination=_propose(writer, unit, phase, side, "top", province_form), acting_user=writer
        )
        done = services.nomination_submit(
            nomination=_propose(writer, unit, phase, side, "done", province_form), acting_user=writer
        )
        award = services.nomination_decide(
            nomination=done,
            acting_user=writer,
            subject=decision_subject(side),
            **SIGNERS[side],
        )
        objects["cnapi_done"][side] = done
        objects["cnapi_decision"][side] = award.decision
        objects["cnapi_award"][side] = award
    w.extra.update(objects)


# --- how the routes are reached -------------------------------------------------------------------


def _pk(name: str) -> Any:
    return lambda w, s: {"pk": w.extra[name][s].pk}


def _file_kwargs(w: Any, s: str) -> dict[str, Any]:
    row = w.extra["cnapi_file"][s]
    return {"pk": row.nomination_id, "file_id": row.pk}


def _shows_person(key: str) -> Any:
    return lambda w, s: person_name(key, s)


def new_nomination(w: Any, s: str) -> dict[str, Any]:
    return {
        "proposing_unit": w.unit[s].code,
        "person": w.extra["cnapi_person_new"][s].pk,
        "award": "gk-ccb-tinh",
        "phase": w.phase[s].pk,
        "year": 2026,
        "summary": "Thành tích của đề nghị mới.",
    }


# --- states: everything a refused write must leave as it was --------------------------------------


def new_nomination_state(w: Any, s: str) -> Any:
    return Nomination.objects.filter(person=w.extra["cnapi_person_new"][s]).count()


def nomination_state(name: str) -> Any:
    def state(w: Any, s: str) -> Any:
        n = Nomination.objects.get(pk=w.extra[name][s].pk)
        return (
            n.status,
            n.holder_id,
            n.summary,
            n.achievement_report,
            n.decision_id,
            n.steps.count(),
            n.history.count(),
        )

    return state


def file_state(w: Any, s: str) -> Any:
    return NominationFile.objects.filter(pk=w.extra["cnapi_file"][s].pk).exists()


def new_decision_state(w: Any, s: str) -> Any:
    return Decision.objects.filter(subject=NEW_DECISION).count()


def routes(m: Any) -> dict[str, Any]:
    Route, LIST, OBJECT, OPEN = m.Route, m.LIST, m.OBJECT, m.OPEN
    return {
        # --- the catalogue: reference data, read only ------------------------------------------
        "api:award-form-list": Route(OPEN),
        "api:award-form-detail": Route(OPEN, kwargs=lambda w, s: {"code": "bk-bqp"}),
        "api:emulation-title-list": Route(OPEN),
        "api:emulation-title-detail": Route(OPEN, kwargs=lambda w, s: {"code": "cstd-co-so-ccb"}),
        # --- nominations ---------------------------------------------------------------------------
        "api:nomination-list": Route(
            LIST,
            query=lambda w, s: {"proposing_unit": w.unit[s].code},
            shows=_shows_person("draft"),
            method="post",
            payload=new_nomination,
            state=new_nomination_state,
            writers={"hanoi.ccb": 201, "tuhoi": 201, "admin": 201},
            denied=DENIED,
            refused=REFUSED_400,
        ),
        "api:nomination-detail": Route(
            OBJECT,
            kwargs=_pk("cnapi_draft"),
            shows=_shows_person("draft"),
            method="patch",
            payload=lambda w, s: {"summary": "Thành tích đã sửa qua API."},
            state=nomination_state("cnapi_draft"),
            writers=OK,
            denied=DENIED,
        ),
        "api:nomination-submit": Route(
            OBJECT,
            kwargs=_pk("cnapi_draft"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=nomination_state("cnapi_draft"),
            writers=OK,
            denied=DENIED,
        ),
        "api:nomination-achievement-report": Route(
            OBJECT,
            kwargs=_pk("cnapi_draft"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=nomination_state("cnapi_draft"),
            writers=OK,
            denied=DENIED,
        ),
        "api:nomination-achievement-report-file": Route(
            OBJECT, kwargs=lambda w, s: {**_pk("cnapi_draft")(w, s), "fmt": "docx"}
        ),
        "api:nomination-endorse": Route(
            OBJECT,
            kwargs=_pk("cnapi_sent"),
            get=False,
            method="post",
            payload=lambda w, s: {},
            state=nomination_state("cnapi_sent"),
            writers=OK,
            denied=DENIED,
        ),
        "api:nomination-return": Route(
            OBJECT,
            kwargs=_pk("cnapi_sent"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Bổ sung biên bản họp hội đồng."},
            state=nomination_state("cnapi_sent"),
            writers=OK,
            denied=DENIED,
        ),
        "api:nomination-reject": Route(
            OBJECT,
            kwargs=_pk("cnapi_sent"),
            get=False,
            method="post",
            payload=lambda w, s: {"reason": "Chưa đủ tiêu chuẩn."},
            state=nomination_state("cnapi_sent"),
            writers=OK,
            denied=DENIED,
        ),
        "api:nomination-decide": Route(
            OBJECT,
            kwargs=_pk("cnapi_top"),
            get=False,
            method="post",
            payload=lambda w, s: {"issued_on": "2026-11-27", **SIGNERS[s]},
            state=nomination_state("cnapi_top"),
            writers=OK,
            denied=DENIED,
        ),
        # Files: uploads are multipart (tests/test_api_commendations.py); the list is read here.
        "api:nomination-files": Route(OBJECT, kwargs=_pk("cnapi_draft"), shows=lambda w, s: FILE_NAME),
        "api:nomination-file": Route(
            OBJECT,
            kwargs=_file_kwargs,
            method="delete",
            payload=lambda w, s: {},
            state=file_state,
            writers={"hanoi.ccb": 204, "tuhoi": 204, "admin": 204},
            denied=DENIED,
        ),
        # --- decisions -----------------------------------------------------------------------------
        "api:decision-list": Route(
            LIST,
            query=lambda w, s: {"awarding_unit": w.province[s].code},
            shows=lambda w, s: decision_subject(s),
            method="post",
            payload=lambda w, s: {
                "awarding_unit": w.province[s].code,
                "issued_on": "2026-07-01",
                "subject": NEW_DECISION,
                **SIGNERS[s],
            },
            state=new_decision_state,
            writers={"hanoi.ccb": 201, "tuhoi": 201, "admin": 201},
            denied=DENIED,
            refused=REFUSED_400,
        ),
        "api:decision-detail": Route(OBJECT, kwargs=_pk("cnapi_decision"), shows=lambda w, s: decision_subject(s)),
        "api:decision-document": Route(
            OBJECT, kwargs=_pk("cnapi_decision"), query=lambda w, s: {"file_format": "xlsx"}
        ),
        # --- awards: the commendation history -------------------------------------------------------
        "api:award-list": Route(
            LIST,
            query=lambda w, s: {"person": str(w.extra["cnapi_award"][s].person_id)},
            shows=_shows_person("done"),
        ),
        "api:award-detail": Route(OBJECT, kwargs=_pk("cnapi_award"), shows=_shows_person("done")),
    }


def probes(m: Any) -> list[Any]:
    Probe = m.Probe

    def camau_commune(w: Any) -> str:
        return str(w.unit[m.CM].code)

    return [
        Probe("api:nomination-list", lambda w: {"proposing_unit": camau_commune(w)}),
        Probe("api:nomination-list", lambda w: {"proposing_unit": "CCB-CAMAU"}),
        Probe("api:nomination-list", lambda w: {"award": "gk-ccb-tinh", "status": "submitted"}),
        Probe("api:nomination-list", lambda w: {"programme": w.programme[m.CM].code}),
        Probe("api:nomination-list", lambda w: {"to_decide": "true"}),
        Probe("api:decision-list", lambda w: {"awarding_unit": "CCB-CAMAU"}),
        Probe("api:decision-list", lambda w: {"year": "2026"}),
        Probe("api:award-list", lambda w: {"person": str(w.extra["cnapi_award"][m.CM].person_id)}),
        Probe("api:award-list", lambda w: {"award": "gk-ccb-tinh"}),
    ]
