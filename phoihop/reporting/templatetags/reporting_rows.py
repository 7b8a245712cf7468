"""``{{ owed|owed_rows }}``: the rows of the reminders of reports still owed (reporting/_owed.html),
built in Python (``reporting.report_rows``) for the reports' list and the home page alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from phoihop.reporting.report_rows import owed_rows_html

register = template.Library()


@register.filter
def owed_rows(rows: Iterable[Any]) -> SafeString:
    return owed_rows_html(rows)
