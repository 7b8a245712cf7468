"""API tokens: issued, listed, revoked, and killed when the credentials behind them change.

The tokens are django-rest-knox's (``knox.AuthToken``): the database keeps a SHA-512 digest
of each token and its first 15 characters (to find the row), never the token itself; every
token expires after ``REST_KNOX["TOKEN_TTL"]`` (``PHOIHOP_TOKEN_TTL_DAYS``, 30 days by default).

The one home of "a token dies with the password and with the account" is the ``pre_save`` /
``post_save`` pair on ``User`` below: whichever path changes the stored password hash
(the password page, ``services.password_reset``, ``set_password`` in a shell, the admin) or
switches the account off (``services.user_set_active``) deletes the user's tokens in the same
transaction, with a row in the action log. A rehash of an unchanged password (Django upgrades
an old hash at sign-in) keeps them.

A token is named to people and programs by ``public_id``: the first 16 characters of its
digest (not of the token), which tells nothing about the secret.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from phoihop.accounts.models import User
from phoihop.audit.actions import record
from phoihop.core.gate import REREAD
from phoihop.core.permissions import require
from phoihop.core.services import OutOfScope

PUBLIC_ID_LENGTH = 16


def public_id(token: AuthToken) -> str:
    return str(token.digest[:PUBLIC_ID_LENGTH])


def live_tokens(user: Any) -> QuerySet[AuthToken]:
    """The tokens of ``user`` that still work (not expired), newest first."""
    if not getattr(user, "is_authenticated", False):
        return AuthToken.objects.none()
    now = timezone.now()
    return AuthToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=now), user=user).order_by("-created")


def own_token(user: Any, token_id: str) -> AuthToken:
    """One of ``user``'s own live tokens by its public id; anyone else's is ``DoesNotExist``
    (a 404, never a 403: the answer does not tell that the token exists)."""
    if len(token_id) != PUBLIC_ID_LENGTH:
        raise AuthToken.DoesNotExist
    return live_tokens(user).get(digest__startswith=token_id)


@transaction.atomic
def token_create(*, user: User) -> tuple[AuthToken, str]:
    """Issue a token to ``user`` (who has just proved who they are); returns the row and the
    token, which is shown this once and stored only as its digest. Expired tokens of the user
    are swept at the same time."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    token, secret = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    record("token.create", actor=user, target=user, count=1, details={"token": public_id(token)})
    return token, secret


@transaction.atomic
def token_revoke(*, acting_user: Any, token: AuthToken) -> None:
    """Revoke one token: its owner, or whoever may manage the owner's account."""
    owner = token.user
    if owner.pk != getattr(acting_user, "pk", None):
        require(acting_user, owner, "manage")
    record("token.revoke", actor=acting_user, target=owner, count=1, details={"token": public_id(token)})
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, acting_user: Any, user: User) -> int:
    """Revoke every token of ``user``: the user themself ("sign out everywhere"), or whoever may
    manage the account. Returns how many were revoked."""
    if user.pk != getattr(acting_user, "pk", None):
        if not getattr(acting_user, "is_authenticated", False):
            raise OutOfScope()
        require(acting_user, user, "manage")
    count, _by_model = AuthToken.objects.filter(user=user).delete()
    record("token.revoke_all", actor=acting_user, target=user, count=count)
    return count


# --- the credentials change: the tokens die -------------------------------------------------

_WATCHED = {"password", "is_active"}


def _is_rehash(old_hash: str, user: User) -> bool:
    """Django upgrading the hash of the same password at sign-in (``check_password``'s setter
    resets ``_password`` before it saves): the old hash was due for an upgrade (another
    algorithm than the preferred one, or weaker parameters)."""
    if getattr(user, "_password", None) is not None:
        return False  # set_password() was called: a new password, even if it is the same text
    try:
        old_hasher = identify_hasher(old_hash)
    except ValueError:
        return False
    return old_hasher.algorithm != get_hasher("default").algorithm or bool(old_hasher.must_update(old_hash))


@receiver(pre_save, sender=User, dispatch_uid="phoihop.tokens.credentials_watch")
def _watch_credentials(
    sender: Any, instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    instance._phoihop_tokens_die = ""  # type: ignore[attr-defined]
    if raw or instance.pk is None or (update_fields is not None and not _WATCHED & set(update_fields)):
        return
    stored = User.objects.unrestricted(REREAD).filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["is_active"] and not instance.is_active:
        instance._phoihop_tokens_die = "deactivated"  # type: ignore[attr-defined]
    elif stored["password"] != instance.password and not _is_rehash(stored["password"], instance):
        instance._phoihop_tokens_die = "password"  # type: ignore[attr-defined]


@receiver(post_save, sender=User, dispatch_uid="phoihop.tokens.credentials_changed")
def _kill_tokens(sender: Any, instance: User, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    why = getattr(instance, "_phoihop_tokens_die", "")
    instance._phoihop_tokens_die = ""  # type: ignore[attr-defined]
    if not why or created or raw:
        return
    count, _by_model = AuthToken.objects.filter(user=instance).delete()
    if count:
        # Who did it: the service's stamp (a reset, a deactivation), else the user themself.
        actor = getattr(instance, "_history_user", None) or instance
        reason = _("Mật khẩu đã thay đổi.") if why == "password" else _("Tài khoản đã bị khóa.")
        record("token.revoke_all", actor=actor, target=instance, count=count, reason=reason, details={"because": why})
