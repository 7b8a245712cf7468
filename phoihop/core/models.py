"""Base pieces shared by every app: the restricted queryset (the gate) and dated validity."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phoihop.core.gate import RESTRICTED, GatedQuerySet


class RestrictedQuerySet(GatedQuerySet):
    """Every read of a domain model goes through ``restrict(user, action)`` (``phoihop.core.gate``
    notices one that does not).

    The rows an action reaches are the model's permission policy's ``scope_q``
    (``<app>/permissions.py``); anonymous users see nothing.
    """

    def restrict(self, user: Any, action: str = "view") -> Any:
        from phoihop.core.permissions import scope_q

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()._mark(RESTRICTED)
        return self.filter(scope_q(self.model, user, action))._mark(RESTRICTED)


class ReferenceQuerySet(RestrictedQuerySet):
    """Reference data every signed-in user reads (organisations and their levels, the state's
    administrative list, award forms): ``restrict`` still applies ``scope_q``, but a read
    without it is no breach (docs/adr/0008-the-gate-and-the-permission-object.md)."""

    gated = False


class DatedQuerySetMixin:
    def active_on(self, day: date) -> Any:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(  # type: ignore[attr-defined]
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class DatedQuerySet(DatedQuerySetMixin, RestrictedQuerySet):
    pass


class DatedReferenceQuerySet(DatedQuerySetMixin, ReferenceQuerySet):
    pass


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


class Versioned(models.Model):
    """Something people edit: ``version`` grows by one with every save of the row, so that a save
    carrying the version its writer read is refused once someone else has saved meanwhile
    (``phoihop.core.services.check_version``; the API's ETag and If-Match, the pages' hidden field).

    The increment is one ``UPDATE ... SET version = version + 1 WHERE pk = ? [AND version = ?]``,
    so two concurrent saves cannot both pass."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            if not getattr(self, "_version_taken", False):
                from phoihop.core.services import check_version

                check_version(self, None)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        self._version_taken = False
        super().save(*args, **kwargs)
