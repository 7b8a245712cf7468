"""Who may import, and who may see an import run.

Importing is for unit administrators and system administrators (``may_import``): what a file
writes is then checked row by row through the gate as its sender (``services.import_file``).
A run is its creator's alone, and system administrators' (the file and its problems hold what
the creator sent).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core.permissions import Policy, perms, register
from phoihop.core.scoping import get_scope, nothing
from phoihop.imports.models import ImportRun


@register(ImportRun)
class ImportRunPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if user is None or not getattr(user, "is_authenticated", False):
            return nothing()
        if get_scope(user).is_system_admin:
            return Q()
        return Q(created_by=user)


def may_import(user: Any) -> bool:
    """Whether the user may send files to import (and download templates and exports): a unit
    administrator somewhere, or a system administrator."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return perms(user).has_units("manage")


def require_import(user: Any) -> None:
    """Go on only if the user may import (else 403, with the reason in Vietnamese)."""
    perms(user).require_units("manage", _("Chỉ quản trị đơn vị và quản trị hệ thống mới nhập được dữ liệu từ tệp."))
