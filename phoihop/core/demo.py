"""Whether the database holds the demo data set (``make demo``), and the watermark its documents carry.

One rule: the demo loader (``phoihop.demo``) writes every unit with the history action
``demo.load`` (``bulk_create_with_history(..., default_change_reason="demo.load")``), and
nothing else does. A database loaded by the demo therefore has such history rows, however
long ago it was loaded; a real database never has them. The documents built from demo data
carry a faint diagonal "BẢN MINH HỌA" on every page (``phoihop.documents.watermark``), so
no marker needs to stand inside the text.

The documents package does not ask this itself (it is a lower layer and its builders are
pure): the code that builds a document from the database asks ``demo_watermark()`` and
passes the text on.
"""

from __future__ import annotations

from django.apps import apps

DEMO_LOAD = "demo.load"
WATERMARK = "BẢN MINH HỌA"


def is_demo_data() -> bool:
    """True when the units were written by the demo loader."""
    unit = apps.get_model("orgunits", "OrgUnit")
    return bool(unit.history.filter(history_change_reason=DEMO_LOAD).exists())  # type: ignore[attr-defined]


def demo_watermark() -> str:
    """The watermark of a document built now: "BẢN MINH HỌA" on demo data, else ""."""
    return WATERMARK if is_demo_data() else ""
