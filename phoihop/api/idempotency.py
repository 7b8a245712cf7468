"""``Idempotency-Key``: a POST retried with the same key gets the first answer, and writes nothing again.

Commune networks drop connections after the server has written; a client that retries must
never double an activity or its figures. So an authenticated POST may carry
``Idempotency-Key: <any text up to 255 characters>`` (a UUID is a good choice), and:

* the first request runs in one transaction with the row that records its answer (status,
  body, ``Location``); the unique key (user, key) makes a concurrent retry wait for it;
* a retry by the same user with the same key, method, path and body within ``TTL`` gets the
  stored answer again (``Idempotent-Replayed: true``) and runs nothing;
* the same key with another body, path or method is refused (422); a retry that meets the
  first still running, where the database cannot make it wait, is refused (409);
* an answer that is an error (the request raised, or answered 4xx/5xx) is not kept: nothing was
  written, and the client may correct the request and send it again with the same key.

Applied by ``ApiViewMixin.dispatch`` (phoihop/api/base.py) to every POST of the API; the
schema documents the header (phoihop/api/schema.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from phoihop.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Headers of the first answer that a replay gives again.
KEPT_HEADERS = ("Location", "ETag", "Content-Location")


class KeyInvalid(exceptions.ValidationError):
    pass


class KeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "Yêu cầu có cùng khóa Idempotency-Key đang được xử lý. Hãy đợi một lát rồi gửi lại đúng yêu cầu đó."
    )
    default_code = "idempotency_in_progress"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác (khác nội dung, đường dẫn hoặc "
        "phương thức). Mỗi yêu cầu mới cần một khóa mới."
    )
    default_code = "idempotency_key_reused"


def wants(request: Any) -> bool:
    return request.method == "POST" and HEADER in request.headers


def _key(request: Request) -> str:
    key = str(request.headers.get(HEADER, "")).strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise KeyInvalid(
            {
                HEADER: [
                    _("Khóa Idempotency-Key phải là chuỗi ký tự ASCII in được, dài từ 1 đến %(max)d ký tự.")
                    % {"max": MAX_KEY_LENGTH}
                ]
            }
        )
    return key


def _canonical(value: Any) -> Any:
    if hasattr(value, "lists"):  # QueryDict (form or multipart): every value of every key
        return sorted((key, [_canonical(v) for v in values]) for key, values in value.lists())
    if hasattr(value, "chunks"):  # an uploaded file: its name and a digest of its content
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return ["file", value.name, digest.hexdigest()]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def fingerprint(request: Request) -> str:
    """A digest of what the request asks: method, path with query, and the parsed body (so a
    retry that re-encodes the same JSON, or a new multipart boundary, is the same request)."""
    what = [request.method, request.get_full_path(), _canonical(request.data)]
    return hashlib.sha256(json.dumps(what, sort_keys=True, cls=JSONEncoder).encode()).hexdigest()


def _replay(stored: IdempotentRequest, print_: str) -> Response:
    if stored.fingerprint != print_:
        raise KeyReused()
    response = Response(json.loads(stored.body) if stored.body else None, status=stored.status)
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _stored(request: Request, key: str) -> IdempotentRequest | None:
    fresh = IdempotentRequest.objects.filter(created__gte=timezone.now() - TTL)
    return fresh.filter(user_id=int(request.user.pk or 0), key=key).first()


def guard(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` (a view's ``post``) run at most once per user and key; its retries replayed."""

    def guarded(request: Request, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return handler(request, *args, **kwargs)
        key = _key(request)
        print_ = fingerprint(request)
        stored = _stored(request, key)
        if stored is not None:
            return _replay(stored, print_)
        with transaction.atomic():
            # Keys older than TTL are forgotten (and may be used again).
            IdempotentRequest.objects.filter(user_id=request.user.pk, created__lt=timezone.now() - TTL).delete()
            try:
                # Inserted first: a concurrent retry with the same key waits on the unique key
                # until this transaction ends, then finds the answer stored below.
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        user_id=request.user.pk,
                        key=key,
                        method=str(request.method),
                        path=request.get_full_path()[:2000],
                        fingerprint=print_,
                        status=0,
                    )
            except IntegrityError:
                # Another request with the key committed first (or still holds it, where the
                # database could not make this one wait).
                stored = _stored(request, key)
                if stored is None:
                    raise KeyInProgress() from None
                return _replay(stored, print_)
            response = handler(request, *args, **kwargs)
            if not (200 <= response.status_code < 300 and hasattr(response, "data")):
                record.delete()
                return response
            record.status = response.status_code
            record.body = json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False)
            record.headers = {name: str(response[name]) for name in KEPT_HEADERS if response.has_header(name)}
            record.save(update_fields=["status", "body", "headers"])
            return response

    return guarded
