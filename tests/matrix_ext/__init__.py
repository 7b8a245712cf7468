"""Scoping-matrix routes of the apps after the foundation, one module per app area.

Each module defines:

    routes(m) -> dict[str, m.Route]   specs of its named routes (m: tests.test_scoping_matrix)
    extend(w, m) -> None              adds its objects to the world: w.extra["<name>"] = {m.HN: ..., m.CM: ...},
                                      and what a Hà Nội user must never read to w.camau_marks
    probes(m) -> list[m.Probe]        searches and filters aimed at Cà Mau
"""

from tests.matrix_ext import (
    activities,
    api,
    commendations,
    commendations_api,
    conferences,
    conferences_api,
    entry,
    esign,
    figures,
    imports,
    inbox,
    jobs,
    notices,
    pickers,
    programme_setup,
    programmes_api,
    records,
    reporting,
    reporting_api,
    structure_api,
    structure_pages,
)

EXTENSIONS = [
    activities,
    entry,
    records,
    figures,
    api,
    reporting,
    reporting_api,
    conferences,
    conferences_api,
    commendations,
    commendations_api,
    pickers,
    notices,
    jobs,
    inbox,
    esign,
    structure_api,
    programmes_api,
    structure_pages,
    programme_setup,
    imports,
]
