"""Every app's API routes, in the order the root lists them.

Each domain app owns its API in ``<app>/api.py`` and names its routes there
(``ROUTES``: prefix, base name, viewset); this list is the only place that gathers them.
"""

from __future__ import annotations

from typing import Any

from phoihop.accounts import api as accounts
from phoihop.activities import api as activities
from phoihop.commendations import api as commendations
from phoihop.conferences import api as conferences
from phoihop.entry import api as entry
from phoihop.esign import api as esign
from phoihop.imports import api as imports
from phoihop.inbox import api as inbox
from phoihop.jobs import api as jobs
from phoihop.notices import api as notices
from phoihop.orgunits import api as orgunits
from phoihop.programmes import api as programmes
from phoihop.records import api as records
from phoihop.reporting import api as reporting

APPS = [
    orgunits,
    programmes,
    activities,
    entry,
    records,
    reporting,
    conferences,
    commendations,
    jobs,
    imports,
    inbox,
    notices,
    esign,
    accounts,
]

ROUTES: list[tuple[str, str, Any]] = [route for app in APPS for route in app.ROUTES]

# Links of the root to views outside the router: key -> route name.
OTHER_LINKS: dict[str, str] = {
    "figures": "api:figures",
    "figures-by-child": "api:figures-by-child",
    "figures-by-side": "api:figures-by-side",
}
