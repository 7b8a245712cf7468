"""Where the stored files are, whatever holds them: the shared folder (MEDIA_ROOT, the default) or
a bucket on S3 or an S3-compatible store (``PHOIHOP_S3_BUCKET``; ADR 0026). Everything that reads
or writes stored files goes through Django's storage API; this module holds the few things the
API does not: a name for people, a walk over every file, and a restore that keeps names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage


def describe(storage: Any = default_storage) -> str:
    """Where the files are, for an operator: the folder, or ``s3://bucket/prefix`` and the store."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket is None:
        return str(storage.location)
    where = f"s3://{bucket}/{storage.location}".rstrip("/")
    endpoint = getattr(storage, "endpoint_url", None)
    return f"{where} ({endpoint})" if endpoint else where


def walk(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    """Every stored file's name, folder by folder in name order. A folder that does not exist
    (a new installation's MEDIA_ROOT) holds nothing."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for name in sorted(folders):
        yield from walk(storage, prefix + name)


def put_exactly(storage: Storage, name: str, content: IO[bytes]) -> None:
    """Store ``content`` under ``name`` itself, replacing a file of that name (a restore: the
    database refers to the name, so the storage may not pick another)."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, File(content, name=name))
    if saved != name:
        raise OSError(f"stored as {saved!r} instead of {name!r}")
