"""The sync protocol: the one module the laptop and the central service both import (ARCHITECTURE.md rules 3–6).

Everything that crosses the wire or a USB stick is one of the messages below, encoded as canonical JSON and
compressed with zstd inside a small envelope (magic, protocol version, message kind). :func:`decode` checks
the envelope, the size, the compression frame and every field before anything is applied, so a truncated,
corrupted or foreign payload is refused whole with :class:`CorruptPayload` — never half applied.

Versions: ``PROTOCOL_VERSION`` is the envelope and message format; ``schema_version`` (the store's migration
number) travels in every change. The server accepts pushes from older schemas (nothing is lost) but tells a
client below its minimum to upgrade before it pulls (:class:`UpgradeRequired`).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import zstandard

from storage.errors import N_, LietaError

PROTOCOL_VERSION = 1
MAGIC = b"LIETA-SYNC"
MAX_DECODED_BYTES = 64 * 1024 * 1024  # a page or bundle beyond this is refused, not inflated
WIRE_LEVEL, BUNDLE_LEVEL = 3, 19  # zstd: fast on the wire, small on a USB stick
OPS = ("insert", "update", "delete")  # what a device may send
#: what the service may also send: a whole row entering a laptop's scope, or a row leaving it (never a delete)
SERVICE_OPS = ("upsert", "evict")
#: the author of changes the service makes itself (conflict records, number blocks, re-scoped rows)
SERVICE_DEVICE = uuid.UUID(int=0)
RESULTS = ("applied", "duplicate", "conflict", "rejected")
HLC = re.compile(r"^\d{15}\.\d{6}$")
ENTITY = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
BLOCK = re.compile(r"^[A-Z]{1,10}/\d{4}$")


class ProtocolError(LietaError):
    code = "protocol"


class CorruptPayload(ProtocolError):
    code = "corrupt_payload"
    msgid = N_("The sync data is damaged or incomplete ({reason_msg}); nothing from it was applied. Sync again, or "
               "ask for a new bundle.")


class UnsupportedProtocol(ProtocolError):
    code = "unsupported_protocol"
    msgid = N_("The sync data uses protocol version {version}, which this version of Lieta does not know. "
               "Update Lieta on this computer.")


class UpgradeRequired(ProtocolError):
    code = "upgrade_required"
    msgid = N_("The central service needs Lieta with data format {minimum} or newer to send you changes; this "
               "laptop has {current}. Your unsent work was kept. Install the update, then sync again.")


@dataclass(frozen=True)
class Change:
    """One change record as the outbox holds it (rule 3): changed fields only, based on a server version."""

    op_id: uuid.UUID
    tx_id: uuid.UUID
    device_id: uuid.UUID
    device_seq: int
    user_id: uuid.UUID | None
    entity: str
    row_id: uuid.UUID
    op: str
    base_version: int | None
    fields: dict[str, Any]
    hlc: str
    schema_version: int
    server_version: int | None = None  # set on changes the server sends back (pull pages)


@dataclass(frozen=True)
class PushBatch:
    """A device's unsent changes, in device-sequence order, with the server epoch it last saw."""

    device_id: uuid.UUID
    epoch: str | None
    schema_version: int
    changes: list[Change]


@dataclass(frozen=True)
class OpResult:
    op_id: uuid.UUID
    device_seq: int
    result: str  # applied | duplicate | conflict | rejected
    server_version: int | None = None
    reason: str | None = None  # a code, e.g. "final_record", "out_of_scope"


@dataclass(frozen=True)
class PushReply:
    epoch: str
    last_applied_seq: int
    results: list[OpResult]
    server_hlc: str


@dataclass(frozen=True)
class PullRequest:
    """The next page after ``after_version``; or, with ``snapshot``, the service's current rows in key order
    after ``snapshot_after`` (an initial sync, or a re-scoped one). ``low_blocks`` names the number series
    ("IES/2026") this laptop is running out of, so the service leases new blocks."""

    device_id: uuid.UUID
    epoch: str | None
    after_version: int
    schema_version: int
    limit: int = 500
    snapshot: bool = False
    snapshot_after: str | None = None
    low_blocks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PullPage:
    """Changes after ``after_version`` in gap-free server-version order; the client commits the page and
    ``next_version`` together."""

    epoch: str
    changes: list[Change]
    next_version: int
    has_more: bool
    server_hlc: str
    #: snapshot pages: the service version the snapshot started at (the feed resumes after it), and the key
    #: to continue after (None once the snapshot is complete)
    snapshot_version: int | None = None
    snapshot_after: str | None = None
    #: the last device sequence number the service applied for this laptop: after a new epoch the laptop
    #: re-sends everything after it
    last_applied_seq: int | None = None


@dataclass(frozen=True)
class BundleRequest:
    """What a USB bundle from a laptop carries: its unsent changes and where its pull stands."""

    push: PushBatch
    pull: PullRequest


@dataclass(frozen=True)
class BundleReply:
    """The main office's answer on the stick: the push results and the pages that follow the laptop's cursor
    (``answers`` is the pull request they answer: pages for an older cursor are never applied)."""

    push_reply: PushReply
    answers: PullRequest
    pages: list[PullPage]


MESSAGES: dict[str, type] = {"push": PushBatch, "push_reply": PushReply, "pull": PullRequest, "page": PullPage,
                             "bundle": BundleRequest, "bundle_reply": BundleReply}
_KINDS = {cls: kind for kind, cls in MESSAGES.items()}


# -- encoding ------------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def encode(message: Any, *, level: int = WIRE_LEVEL) -> bytes:
    """Envelope ``MAGIC | version byte | kind | newline`` followed by the zstd frame of canonical JSON."""
    kind = _KINDS[type(message)]
    body = json.dumps(_plain(asdict(message)), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")
    frame = zstandard.ZstdCompressor(level=level, write_content_size=True, write_checksum=True).compress(body)
    return MAGIC + bytes([PROTOCOL_VERSION]) + kind.encode("ascii") + b"\n" + frame


def decode(payload: bytes, expected: type | None = None) -> Any:
    """The message in ``payload``, fully validated; :class:`CorruptPayload` for anything malformed."""
    if not payload.startswith(MAGIC) or len(payload) < len(MAGIC) + 3:
        raise CorruptPayload(reason_msg=N_("not Lieta sync data"))
    version = payload[len(MAGIC)]
    if version != PROTOCOL_VERSION:
        raise UnsupportedProtocol(version=version)
    header_end = payload.find(b"\n", len(MAGIC) + 1, len(MAGIC) + 20)
    kind = payload[len(MAGIC) + 1:header_end].decode("ascii", "replace") if header_end > 0 else ""
    if kind not in MESSAGES:
        raise CorruptPayload(reason_msg=N_("unknown message kind"))
    if expected is not None and MESSAGES[kind] is not expected:
        raise CorruptPayload(reason_msg=N_("unexpected message kind"))
    try:
        body = zstandard.ZstdDecompressor().decompress(payload[header_end + 1:], max_output_size=MAX_DECODED_BYTES)
        data = json.loads(body.decode("utf-8"))
    except zstandard.ZstdError:
        raise CorruptPayload(reason_msg=N_("compressed data damaged or cut short")) from None
    except (UnicodeDecodeError, ValueError):
        raise CorruptPayload(reason_msg=N_("not valid JSON")) from None
    try:
        return _PARSERS[kind](data)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise CorruptPayload(reason_msg=N_("a field is missing or invalid")) from None


# -- validation ----------------------------------------------------------------------------------------------
def _uuid(value: Any, optional: bool = False) -> uuid.UUID | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError("id")
    return uuid.UUID(value)


def _int(value: Any, optional: bool = False, minimum: int = 0) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError("integer")
    return value


def _str(value: Any, pattern: re.Pattern | None = None, choices: tuple[str, ...] | None = None,
         optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or (pattern and not pattern.match(value)) or (choices and value not in choices):
        raise ValueError("text")
    return value


def parse_change(data: dict[str, Any]) -> Change:
    if not isinstance(data.get("fields"), dict):
        raise TypeError("fields")
    return Change(op_id=_uuid(data["op_id"]), tx_id=_uuid(data["tx_id"]), device_id=_uuid(data["device_id"]),
                  device_seq=_int(data["device_seq"]), user_id=_uuid(data["user_id"], optional=True),
                  entity=_str(data["entity"], ENTITY), row_id=_uuid(data["row_id"]),
                  op=_str(data["op"], choices=OPS + SERVICE_OPS),
                  base_version=_int(data["base_version"], optional=True), fields=data["fields"],
                  hlc=_str(data["hlc"], HLC), schema_version=_int(data["schema_version"], minimum=1),
                  server_version=_int(data.get("server_version"), optional=True, minimum=1))


def _changes(data: Any) -> list[Change]:
    if not isinstance(data, list):
        raise TypeError("changes")
    return [parse_change(item) for item in data]


def _push(data: dict) -> PushBatch:
    changes = _changes(data["changes"])
    device = _uuid(data["device_id"])
    seqs = [c.device_seq for c in changes]
    if any(c.device_id != device or c.op not in OPS or c.device_seq < 1 for c in changes) or seqs != sorted(set(seqs)):
        raise ValueError("changes must be this device's, in sequence order")
    return PushBatch(device_id=device, epoch=_str(data["epoch"], optional=True),
                     schema_version=_int(data["schema_version"], minimum=1), changes=changes)


def _reply(data: dict) -> PushReply:
    results = [OpResult(op_id=_uuid(r["op_id"]), device_seq=_int(r["device_seq"], minimum=1),
                        result=_str(r["result"], choices=RESULTS),
                        server_version=_int(r.get("server_version"), optional=True),
                        reason=_str(r.get("reason"), optional=True)) for r in data["results"]]
    return PushReply(epoch=_str(data["epoch"]), last_applied_seq=_int(data["last_applied_seq"]), results=results,
                     server_hlc=_str(data["server_hlc"], HLC))


def _pull(data: dict) -> PullRequest:
    low = data.get("low_blocks", [])
    if not isinstance(low, list) or len(low) > 20:
        raise ValueError("low_blocks")
    return PullRequest(device_id=_uuid(data["device_id"]), epoch=_str(data["epoch"], optional=True),
                       after_version=_int(data["after_version"]),
                       schema_version=_int(data["schema_version"], minimum=1),
                       limit=_int(data["limit"], minimum=1), snapshot=bool(data.get("snapshot", False)),
                       snapshot_after=_str(data.get("snapshot_after"), optional=True),
                       low_blocks=[_str(item, BLOCK) for item in low])


def _page(data: dict) -> PullPage:
    changes = _changes(data["changes"])
    versions = [c.server_version for c in changes]
    snapshot_version = _int(data.get("snapshot_version"), optional=True)
    if None in versions or (snapshot_version is None and versions != sorted(set(versions))):
        raise ValueError("a feed page is in server-version order")
    next_version = _int(data["next_version"])
    if snapshot_version is None and versions and next_version < versions[-1]:
        raise ValueError("cursor behind its page")
    return PullPage(epoch=_str(data["epoch"]), changes=changes, next_version=next_version,
                    has_more=bool(data["has_more"]), server_hlc=_str(data["server_hlc"], HLC),
                    snapshot_version=snapshot_version, snapshot_after=_str(data.get("snapshot_after"), optional=True),
                    last_applied_seq=_int(data.get("last_applied_seq"), optional=True))


def _bundle(data: dict) -> BundleRequest:
    return BundleRequest(push=_push(data["push"]), pull=_pull(data["pull"]))


def _bundle_reply(data: dict) -> BundleReply:
    if not isinstance(data["pages"], list):
        raise TypeError("pages")
    return BundleReply(push_reply=_reply(data["push_reply"]), answers=_pull(data["answers"]),
                       pages=[_page(page) for page in data["pages"]])


_PARSERS = {"push": _push, "push_reply": _reply, "pull": _pull, "page": _page, "bundle": _bundle,
            "bundle_reply": _bundle_reply}


def check_schema(client_schema: int, minimum_for_pull: int) -> None:
    """Refuse to send changes to a client too old to store them; its pushes are still accepted."""
    if client_schema < minimum_for_pull:
        raise UpgradeRequired(minimum=minimum_for_pull, current=client_schema)


def login_message(device_id: uuid.UUID, login: str) -> bytes:
    """What a laptop signs with its device key to sign a user in (the service checks it with the enrolled key)."""
    return f"lieta-sign-in\n{device_id}\n{login}".encode()


def change_from_outbox(entry: Any) -> Change:
    """The wire form of one ``storage.models.OutboxEntry`` row (its fields are already JSON-safe)."""
    return Change(op_id=entry.op_id, tx_id=entry.tx_id, device_id=entry.device_id, device_seq=entry.seq,
                  user_id=entry.user_id, entity=entry.entity, row_id=entry.row_id, op=entry.op,
                  base_version=entry.base_version, fields=entry.fields, hlc=entry.hlc,
                  schema_version=entry.schema_version)
