"""Roll-up tables: every subtree's totals, kept exact in the transaction of each value change.

ARCHITECTURE.md rules 5 and 6. A ``Rollup`` row holds, for one unit, one indicator and one
calendar bucket (a day, a month or a year), the sum of the values counted in the unit's whole
subtree, twice: all submitted values and the approved ones only. Any date range is a union of
at most five bucket ranges (days, months, years, months, days), so any subtree total is an
indexed read of a bounded number of rows.

An organisation's root unit has no subtree row: every write would touch it and serialise all
writers. Its row holds only the values recorded on the root itself; its subtree total is that
row plus its children's rows (see ``selectors.sources_for``).

``TodayTerm`` turns the historical rows into "today's tree" at query time: a unit's total in
today's tree is its own row plus, with a sign, the rows of closed units whose figures moved in
(to a successor inside it) or out (a closed unit inside it whose successor is elsewhere).
Nothing is rewritten when a unit closes: only these few terms change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.IntegerChoices):
    DAY = 0, _("ngày")
    MONTH = 1, _("tháng")
    YEAR = 2, _("năm")


class Rollup(models.Model):
    """Totals of one unit's subtree for one indicator in one day, month or year.

    ``bucket`` is YYYYMMDD for a day, YYYYMM for a month and YYYY for a year, so months are a
    day bucket divided by 100 and years by 10,000 on both databases. No history: a rebuild
    recomputes the table from the raw values.
    """

    pk = models.CompositePrimaryKey("unit_id", "indicator_id", "grain", "bucket")
    unit_id = models.IntegerField(_("đơn vị"))
    indicator_id = models.IntegerField(_("chỉ tiêu"))
    grain = models.SmallIntegerField(_("độ chi tiết"), choices=Grain.choices)
    bucket = models.IntegerField(_("kỳ"))
    submitted = models.BigIntegerField(_("đã gửi"), default=0)
    approved = models.BigIntegerField(_("đã duyệt"), default=0)

    class Meta:
        verbose_name = _("số liệu cộng dồn")
        verbose_name_plural = _("số liệu cộng dồn")

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}/{self.grain}/{self.bucket}"


class TodayTerm(models.Model):
    """One signed term of a unit's total in today's tree (see the module docstring).

    ``source`` is a closed unit with a successor; ``sign`` is +1 when its figures flow into
    ``unit`` today and -1 when they flow out of it. Recomputed by ``today.rebuild_terms()``
    whenever a unit closes or gets a successor.
    """

    pk = models.CompositePrimaryKey("unit_id", "source_id")
    unit_id = models.IntegerField(_("đơn vị"))
    source_id = models.IntegerField(_("đơn vị nguồn"))
    sign = models.SmallIntegerField(_("dấu"))

    class Meta:
        verbose_name = _("thành phần cây hiện hành")
        verbose_name_plural = _("thành phần cây hiện hành")

    def __str__(self) -> str:
        return f"{self.unit_id} {'+' if self.sign > 0 else '-'} {self.source_id}"
