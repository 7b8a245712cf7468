"""Users and their dated role assignments on units."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.models import Dated, DatedQuerySet, RestrictedQuerySet
from phoihop.core.scoping import Role


class RoleChoices(models.TextChoices):
    VIEWER = Role.VIEWER, _("Người xem")
    REPORTER = Role.REPORTER, _("Người báo cáo")
    APPROVER = Role.APPROVER, _("Người phê duyệt")
    UNIT_ADMIN = Role.UNIT_ADMIN, _("Quản trị đơn vị")


class PhoihopUserManager(UserManager):
    def get_queryset(self) -> Any:
        return UserQuerySet(self.model, using=self._db)

    def restrict(self, user: Any, action: str = "view") -> Any:
        return self.get_queryset().restrict(user, action)

    def unrestricted(self, reason: str) -> Any:
        return self.get_queryset().unrestricted(reason)


class UserQuerySet(RestrictedQuerySet):
    pass


class User(AbstractUser):
    """A person who signs in. System administrators are superusers; everyone else acts
    through role assignments on units."""

    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PhoihopUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name) before the given name."""
        return f"{self.last_name} {self.first_name}".strip()

    def primary_assignment(self) -> RoleAssignment | None:
        return (
            self.role_assignments.active_on(timezone.localdate())
            .select_related("unit")
            .order_by("unit__depth", "pk")
            .first()
        )


class RoleAssignment(Dated):
    """A role a user holds on a unit (and so on its whole subtree) for a span of dates.

    A handover is a new assignment, not an edit: the old one gets ``valid_to``.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=RoleChoices.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người cấp")
    )
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user", "unit__path"]
        indexes = [models.Index(fields=["user", "valid_to"], name="roleassignment_user_to")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self) -> None:
        self.clean_dates()
