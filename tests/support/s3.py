"""S3 in memory for the tests of stored files on S3 (moto's; no network), configured by the
settings the environment makes in production (``phoihop.settings.s3_storage``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto import mock_aws

from phoihop.settings import s3_storage

BUCKET = "phoihop-tep"
PREFIX = "tinh-ha-noi"
ENVIRONMENT = {"PHOIHOP_S3_BUCKET": BUCKET, "PHOIHOP_S3_PREFIX": f"/{PREFIX}/", "PHOIHOP_S3_REGION": "us-east-1"}


class Bucket:
    """The bucket as S3 itself lists it (not through the storage under test)."""

    def __init__(self) -> None:
        self.client = boto3.client("s3", region_name="us-east-1")

    def keys(self) -> list[str]:
        found = self.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return sorted(item["Key"] for item in found)

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        return body


@contextmanager
def in_memory_bucket(settings: Any) -> Iterator[Bucket]:
    """The stored files in a new, empty bucket, for the block."""
    with mock_aws():
        s3 = Bucket()
        s3.client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage(ENVIRONMENT)}
        yield s3
