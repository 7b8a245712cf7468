"""Base pieces shared by every app: the restricted queryset and dated validity."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RestrictedQuerySet(models.QuerySet):
    """Every read of a domain model goes through ``restrict(user, action)``.

    Each model defines ``scope_q(cls, user, action) -> Q``; anonymous users see nothing.
    """

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(self.model.scope_q(user, action))


class DatedQuerySet(RestrictedQuerySet):
    def active_on(self, day: date) -> DatedQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Dated(models.Model):
    """Something that holds from ``valid_from`` to ``valid_to`` (both inclusive, open when empty)."""

    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def clean_dates(self) -> None:
        from django.core.exceptions import ValidationError

        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc không được trước ngày bắt đầu.")})
