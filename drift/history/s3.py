"""History in S3 (`[drift] history = "s3://bucket/prefix"`), through the collectors' boto3
code path (same session pool, retries and error mapping).

One object per scan, `PREFIX/scans/<id>.json.gz`, named so that listing sorts by time: two
scans at once write two objects and never the same one. `PREFIX/meta.json` holds the
fingerprint key's check value. The shards of a sharded run wait for `drift merge` under
`PREFIX/shards/<run>/<index>.json.gz`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from drift.errors import CollectorError, ConfigError, HistoryError, HistoryUnavailable
from drift.history.base import MAX_SCAN_BYTES, HistoryStore, SavedScan, ScanSummary, guarded
from drift.model import new_scan_id
from drift.platform.aws import AwsTarget, SessionPool, aws_errors

T = TypeVar("T")

#: What aws_errors says of a store that is there but did not answer in time.
_TRANSIENT = ("Throttl", "SlowDown", "RequestLimitExceeded", "TooManyRequests", "unreachable", "(HTTP 5")
#: meta.json holds one short check value; a larger object is not ours.
MAX_META = 64 * 1024
#: Objects read at once (the trend's past scans, a run's shards): each is a round trip of tens
#: of milliseconds, which one after another add up to seconds.
READERS = 8


class S3History(HistoryStore):
    """History as objects under an S3 prefix."""

    def __init__(self, url: str, client: Any = None) -> None:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ConfigError(f"{url}: write s3://bucket/prefix")
        self.where = url
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        #: An S3 client to share (`drift fleet` reads hundreds of prefixes with one).
        self._client: Any = client

    def _s3(self) -> Any:
        if self._client is None:
            self._client = SessionPool().client("s3", AwsTarget.of({}, {}))
        return self._client

    def _call(self, doing: str, operation: str, **arguments: Any) -> Any:
        try:
            with aws_errors(f"{self.where}: {doing}"):
                return getattr(self._s3(), operation)(Bucket=self.bucket, **arguments)
        except CollectorError as exc:
            transient = any(word in exc.reason for word in _TRANSIENT)
            raise (HistoryUnavailable if transient else HistoryError)(exc.reason) from None

    def _scan_keys(self) -> list[str]:
        keys: list[str] = []
        token: str | None = None
        while True:
            extra = {"ContinuationToken": token} if token else {}
            page = self._call("listing scans", "list_objects_v2", Prefix=f"{self.prefix}scans/", **extra)
            keys.extend(item["Key"] for item in page.get("Contents", []) if item["Key"].endswith(".json.gz"))
            token = page.get("NextContinuationToken")
            if not token:
                return sorted(keys)

    def _each(self, keys: list[str], read: Callable[[str], T]) -> list[T]:
        """`read` of every key, in order, READERS at a time (boto3 clients are thread-safe)."""
        if len(keys) < 2:
            return [read(key) for key in keys]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(READERS, len(keys)), thread_name_prefix="drift-s3") as pool:
            return list(pool.map(read, keys))

    def _load(self, key: str) -> SavedScan:
        """A scan object, read up to MAX_SCAN_BYTES (a larger one in a shared bucket is damage,
        never read whole into memory)."""
        body = self._call("reading a scan", "get_object", Key=key)["Body"].read(MAX_SCAN_BYTES + 1)
        if len(body) > MAX_SCAN_BYTES:
            raise HistoryError(f"s3://{self.bucket}/{key}: a saved scan is larger than {MAX_SCAN_BYTES >> 20} MiB")
        return SavedScan.unpack(body, f"s3://{self.bucket}/{key}")

    def _check_value(self) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self._s3().get_object(Bucket=self.bucket, Key=f"{self.prefix}meta.json")
        except BotoCoreError as exc:  # unreachable endpoint, a malformed bucket name, ...
            kind = type(exc).__name__
            transient = "Connection" in kind or "Timeout" in kind
            raise (HistoryUnavailable if transient else HistoryError)(
                f"{self.where}: reading meta.json failed ({kind})"
            ) from None
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code"))
            if code in ("NoSuchKey", "404"):
                return None
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            reason = f"{self.where}: reading meta.json: AWS error {code}" + (f" (HTTP {status})" if status else "")
            transient = any(word in reason for word in _TRANSIENT)
            raise (HistoryUnavailable if transient else HistoryError)(reason) from None
        with guarded(self.where, "reading meta.json"):
            value = json.loads(answer["Body"].read(MAX_META)).get("key_check")
        return str(value) if value else None

    def stored_key_check(self) -> str | None:
        return self._check_value()

    def check_key(self, check_value: str) -> None:
        stored = self._check_value()
        if stored is not None and stored != check_value:
            raise self.key_mismatch()

    def latest(self) -> SavedScan | None:
        keys = self._scan_keys()
        return self._load(keys[-1]) if keys else None

    def get(self, scan_id: str) -> SavedScan:
        key = f"{self.prefix}scans/{scan_id}.json.gz"
        if key not in self._scan_keys():
            raise ConfigError(f"{self.where}: no saved scan {scan_id!r} (`drift history` lists them)")
        return self._load(key)

    def summaries(self, limit: int) -> list[ScanSummary]:
        found = []
        for scan in self._each(list(reversed(self._scan_keys()[-limit:])), self._load):
            found.append(
                ScanSummary(
                    scan.id,
                    scan.scanned_at,
                    scan.exit_code,
                    scan.summary.get("error", 0),
                    scan.summary.get("warning", 0),
                    scan.summary.get("info", 0),
                )
            )
        return found

    def audit(self, record: dict[str, Any]) -> None:
        key = f"{self.prefix}audit/{new_scan_id()}.json"
        self._call("saving the audit record", "put_object", Key=key, Body=json.dumps(record).encode())

    def _keyed(self, check_value: str) -> None:
        """Write meta.json on the first save; refuse a history made under another key."""
        stored = self._check_value()
        if stored is None:
            body = json.dumps({"key_check": check_value}).encode()
            self._call("writing meta.json", "put_object", Key=f"{self.prefix}meta.json", Body=body)
        elif stored != check_value:
            raise self.key_mismatch()

    def save_shard(self, run: str, index: int, blob: bytes, check_value: str) -> None:
        self._keyed(check_value)
        self._call("saving the shard", "put_object", Key=f"{self.prefix}shards/{run}/{index}.json.gz", Body=blob)

    def _shard_keys(self, run: str) -> list[str]:
        keys: list[str] = []
        token: str | None = None
        while True:
            extra = {"ContinuationToken": token} if token else {}
            page = self._call("listing shards", "list_objects_v2", Prefix=f"{self.prefix}shards/{run}/", **extra)
            keys.extend(item["Key"] for item in page.get("Contents", []))
            token = page.get("NextContinuationToken")
            if not token:
                return keys

    def shard_blobs(self, run: str) -> dict[int, tuple[str, bytes]]:
        numbered = {}
        for key in self._shard_keys(run):
            name = key.rpartition("/")[2].removesuffix(".json.gz")
            if name.isdigit() and len(name) <= 6:  # else not a shard drift wrote
                numbered[key] = int(name)

        def read(key: str) -> bytes:
            body: bytes = self._call("reading a shard", "get_object", Key=key)["Body"].read(MAX_SCAN_BYTES + 1)
            if len(body) > MAX_SCAN_BYTES:
                raise HistoryError(f"s3://{self.bucket}/{key}: a shard is larger than {MAX_SCAN_BYTES >> 20} MiB")
            return body

        keys = list(numbered)
        return {
            numbered[key]: (f"s3://{self.bucket}/{key}", body)
            for key, body in zip(keys, self._each(keys, read), strict=True)
        }

    def drop_shards(self, run: str) -> None:
        keys = self._shard_keys(run)
        for start in range(0, len(keys), 1000):  # DeleteObjects takes up to 1,000 keys a request
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            answer = self._call(
                "removing the merged shards", "delete_objects", Delete={"Objects": batch, "Quiet": True}
            )
            if answer.get("Errors"):
                raise HistoryError(f"{self.where}: {len(answer['Errors'])} merged shard(s) of run {run} not removed")

    def save(self, scan: SavedScan, check_value: str) -> None:
        self._keyed(check_value)
        self._call(
            "saving the scan",
            "put_object",
            Key=f"{self.prefix}scans/{scan.id}.json.gz",
            Body=scan.pack(),
            ContentType="application/json",
            ContentEncoding="gzip",
        )
