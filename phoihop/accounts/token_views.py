"""The page actions on API tokens: a user revokes one of their own; whoever manages an account
revokes all of its tokens. The rules live in ``phoihop.accounts.tokens``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from phoihop.accounts import tokens
from phoihop.accounts.models import User


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    try:
        token = tokens.own_token(request.user, token_id)
    except AuthToken.DoesNotExist as exc:
        raise Http404 from exc
    tokens.token_revoke(acting_user=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập %(id)s.") % {"id": token_id})
    return redirect("password_change")


@login_required
@require_POST
def user_tokens_revoke_all(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        target = User.objects.restrict(request.user, "view").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    count = tokens.tokens_revoke_all(acting_user=request.user, user=target)
    messages.success(request, _("Đã thu hồi %(n)d mã truy cập của %(u)s.") % {"n": count, "u": target.username})
    return redirect("accounts:user", pk=pk)
