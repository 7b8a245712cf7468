"""Where the stored files are, whatever holds them: the shared folder (MEDIA_ROOT, the default) or
a bucket on S3 or an S3-compatible store (``PHOIHOP_S3_BUCKET``; ADR 0026). Everything that reads
or writes stored files goes through Django's storage API; this module holds the few things the
API does not: a name for people, a walk over every file, a restore that keeps names, the names
the database refers to, and the stray files no row refers to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone


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


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field of the project's models (their histories' too)."""
    columns = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.append((model._meta.db_table, model_field.column))
    return columns


def referenced_names(cursor: Any, quote: Callable[[str], str], tables: set[str] | None = None) -> set[str]:
    """Every stored file's name a row refers to, read with ``cursor`` (inside a backup's snapshot,
    or now); only the ``tables`` that exist when they are given."""
    names: set[str] = set()
    for table, column in file_columns():
        if tables is not None and table not in tables:
            continue
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
        names.update(str(row[0]) for row in cursor.fetchall() if row[0])
    return names


@dataclass(frozen=True)
class Stray:
    name: str
    size: int
    modified: datetime


def strays(referenced: set[str], *, older_than: timedelta, storage: Storage = default_storage) -> list[Stray]:
    """The stored files no row refers to, last written more than ``older_than`` ago (a file just
    stored by a request whose transaction has not committed yet is never one). They come from a
    request that failed after storing its file, or a deletion the store missed."""
    cutoff = timezone.now() - older_than
    found = []
    for name in walk(storage):
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
            if modified < cutoff:  # the size is asked only of a stray (a request each on S3)
                found.append(Stray(name, storage.size(name), modified))
        except FileNotFoundError:
            continue
    return found
