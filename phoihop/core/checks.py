"""System checks of a deployment's settings (``manage.py check``, run by runserver, migrate and
gunicorn's start through ``check --deploy`` in docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Caches private to one process: marks kept there are not seen by the other workers.
_PRIVATE_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.database)
def replicas_need_a_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Read replicas keep each user's "just wrote" mark in the cache (ADR 0025): a cache private to
    one process would let the user's next request, served by another worker, read a replica that
    lacks their write."""
    if not getattr(settings, "REPLICA_ALIASES", ()):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in _PRIVATE_CACHES:
        return []
    kind = backend.rsplit(".", 1)[-1]
    return [
        checks.Error(
            "Bản sao chỉ đọc (DATABASE_REPLICA_URLS) cần bộ nhớ đệm dùng chung giữa các tiến trình: "
            f"đặt REDIS_URL. Bộ nhớ đệm hiện tại ({kind}) riêng cho từng tiến trình, nên người vừa lưu có "
            "thể không thấy dữ liệu của mình.",
            id="phoihop.E001",
        )
    ]
