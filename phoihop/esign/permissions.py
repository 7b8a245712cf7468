"""Who may do what to certificates and trusted roots (phoihop/core/permissions.py).

Key material is system configuration: only system administrators see or change a body's
certificates. Trusted roots are public certificates: every signed-in user's signature check
reads them; only system administrators change them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core.permissions import ALLOWED, Permissions, Policy, Verdict, out_of_scope, register
from phoihop.core.scoping import get_scope, nothing
from phoihop.esign.models import BodyCertificate, TrustedRoot

# Why signing reads a body's certificate outside any user's scope: the service that builds the
# body's document has authorised the caller; the key never leaves the signing function.
SIGNING_KEY = "the issuing body's own certificate, read only to sign a document the caller may issue"


@register(BodyCertificate)
class BodyCertificatePolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        return Q() if get_scope(user).is_system_admin else nothing()

    def can_change(self, perms: Permissions, certificate: BodyCertificate) -> Verdict:
        """Upload a certificate, switch one on or off."""
        if perms.is_system_admin:
            return ALLOWED
        return out_of_scope(_("Chỉ quản trị hệ thống mới quản lý chứng thư số."))


@register(TrustedRoot)
class TrustedRootPolicy(Policy):
    def scope_q(self, user: Any, action: str) -> Q:
        if action == "view":
            return Q()
        return Q() if get_scope(user).is_system_admin else nothing()

    def can_change(self, perms: Permissions, root: TrustedRoot) -> Verdict:
        if perms.is_system_admin:
            return ALLOWED
        return out_of_scope(_("Chỉ quản trị hệ thống mới quản lý chứng thư gốc tin cậy."))
