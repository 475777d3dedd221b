"""Sealed USB-stick bundles: sync data for offices with no connection (ARCHITECTURE.md rule 5, sync-anchors §2.12).

A bundle is one file that spends days on a USB stick, passes through other people's hands and is copied by
computers that lie about having written it. So it is:

* **encrypted to the recipient** (X25519 + HKDF-SHA256 + AES-256-GCM): a lost stick reveals no client data;
* **signed by the sender** (Ed25519): the central service applies only what an enrolled device made, and a
  laptop applies only what the central service sent — a forged, altered or swapped bundle is refused;
* **bound together**: the readable manifest is the cipher's associated data and the key derivation binds the
  format, kind, sender and recipient, so no part can be moved into another bundle;
* **checked whole before use**: structure, recipient, sender, signature, tag, length and hash — nothing is
  returned unless every check passed, so a damaged bundle is never half applied;
* **written carefully**: temp file, fsync, rename, fsync of the folder, read back and compared.

The manifest stays readable without keys so an administrator (and ``lieta``) can see what a file is.

Layout (all lengths 4-byte big-endian; every length is checked exactly, trailing bytes are refused)::

    MAGIC                       b"LIETA-BUNDLE\\x01"  (13 bytes; the last byte is the format version)
    len | manifest              canonical JSON, UTF-8 (ASCII-escaped), ≤ 16 KiB
    len | ephemeral public key  X25519, 32 bytes
    len | nonce                 12 bytes
    len | ciphertext            AES-256-GCM(payload, aad=manifest bytes): payload_bytes + 16
    len | signature             Ed25519 by the sender over every byte before this length field, 64 bytes
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import struct
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.signing import KEY_BYTES, SIGNATURE_BYTES, KeyPair, PublicKeys
from storage.errors import N_, LietaError

FORMAT_VERSION = 1
MAGIC_PREFIX = b"LIETA-BUNDLE"
MAGIC = MAGIC_PREFIX + bytes([FORMAT_VERSION])
KINDS = ("to_office", "to_device")
CENTRAL = "central"  # the sender or recipient id of the central service
#: just under 2 GiB: fits FAT32 sticks and one AES-GCM call; checked before a file is read into memory
MAX_BUNDLE_BYTES = 2**31 - 1
MAX_MANIFEST_BYTES = 16 * 1024
NONCE_BYTES, TAG_BYTES = 12, 16
_LEN = struct.Struct(">I")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{32}$")
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_READ_CHUNK = 1024 * 1024


class BundleError(LietaError):
    code = "bundle"


class CorruptBundle(BundleError):
    """The file is not a bundle, was cut short or its structure is broken: refused before any key is used."""

    code = "corrupt_bundle"
    msgid = N_("This file is not a Lieta sync bundle, or it was cut short ({reason_msg}); nothing from it was "
               "applied. Copy it again from the other computer.")


class UnsupportedBundle(CorruptBundle):
    """A bundle of another format version: copying it again would not help, updating Lieta would."""

    code = "unsupported_bundle"
    msgid = N_("This sync bundle was made by a different version of Lieta (bundle format {version}); nothing "
               "from it was applied. Update Lieta on both computers, then make the bundle again.")


class ForeignBundle(BundleError):
    """Sound, but meant for another computer or made by a device this side does not know."""

    code = "foreign_bundle"
    msgid = N_("This sync bundle is not meant for this computer, or it comes from a device that is not "
               "registered here ({reason_msg}); nothing from it was applied. Check that you took the right file, "
               "or ask the administrator.")


class TamperedBundle(BundleError):
    """Signature, tag, length or hash check failed: changed after it was made, or signed by another device."""

    code = "tampered_bundle"
    msgid = N_("This sync bundle does not match its signature: it was damaged or changed after it was made, or "
               "it was signed by a different device ({reason_msg}); nothing from it was applied. Make a new "
               "bundle on the other computer; if this happens again, tell the administrator.")


class BundleNotFound(BundleError):
    code = "bundle_not_found"
    msgid = N_("The sync bundle file was not found. Check that the USB stick is plugged in and the file is on it.")


class BundleWriteFailed(BundleError):
    code = "bundle_write_failed"
    msgid = N_("The sync bundle could not be saved ({reason_msg}). The data on this computer is unchanged. Try "
               "again, or use another USB stick.")


@dataclass(frozen=True)
class Manifest:
    """What a bundle is, readable without keys; every byte of it is signed and bound to the ciphertext."""

    format: int
    kind: str  # "to_office" (laptop → central service) or "to_device" (central service → one laptop)
    sender: str  # device UUID for to_office; "office" or the service id for to_device
    recipient: str
    recipient_key: str  # which of the recipient's keys it was sealed to: tells "foreign" from "tampered"
    epoch: str | None  # the server epoch the sender last saw
    first_seq: int
    last_seq: int
    schema_version: int
    created_at: str  # ISO 8601 UTC, seconds, "Z"
    payload_bytes: int
    payload_sha256: str

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


# --- sealing and opening ---------------------------------------------------------------------------------------


def seal(payload: bytes, *, kind: str, sender: str, recipient: str, epoch: str | None, first_seq: int,
         last_seq: int, schema_version: int, sender_keys: KeyPair, recipient_public: PublicKeys,
         created_at: dt.datetime | None = None) -> bytes:
    """Encrypt ``payload`` to ``recipient_public``, sign it with ``sender_keys`` and return the bundle bytes.

    ``payload`` is opaque here (the caller passes an already compressed ``sync.protocol`` message). Invalid
    arguments are programming errors (``ValueError``): a bundle that ``open_sealed`` would refuse is never made.
    """
    payload = bytes(payload)
    if len(payload) > MAX_BUNDLE_BYTES - MAX_MANIFEST_BYTES - 1024:
        raise ValueError("payload too large for one bundle")
    when = created_at or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    manifest = Manifest(
        format=FORMAT_VERSION, kind=kind, sender=sender, recipient=recipient, recipient_key=recipient_public.key_id,
        epoch=epoch, first_seq=first_seq, last_seq=last_seq, schema_version=schema_version,
        created_at=when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), payload_bytes=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
    )
    manifest_bytes = manifest.to_bytes()
    if _manifest_from_bytes(manifest_bytes) != manifest or len(manifest_bytes) > MAX_MANIFEST_BYTES:
        raise ValueError("manifest fields do not round-trip")

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public.encryption_public))
    key = _derive_key(shared, ephemeral_public, recipient_public.encryption_public, manifest)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, payload, manifest_bytes)

    signed = b"".join([MAGIC, *(_LEN.pack(len(part)) + part
                                for part in (manifest_bytes, ephemeral_public, nonce, ciphertext))])
    signature = Ed25519PrivateKey.from_private_bytes(sender_keys.signing_private).sign(signed)
    return signed + _LEN.pack(len(signature)) + signature


def read_manifest(data: bytes) -> Manifest:
    """The manifest of a bundle, without keys: structural checks only (nothing here is verified yet)."""
    return _parse(data).manifest


def open_sealed(data: bytes, *, recipient_keys: KeyPair,
                sender_public: Callable[[str], PublicKeys | None] | PublicKeys,
                recipient: str | None = None) -> tuple[Manifest, bytes]:
    """Check a bundle completely and return its manifest and decrypted payload.

    ``sender_public`` is the sender's registered keys, or a lookup from sender id to them (``None``: unknown).
    ``recipient`` (optional) is this side's id; the manifest must name it. Checks run in this order and the
    first failure raises: structure (:class:`CorruptBundle`), recipient and sender (:class:`ForeignBundle`),
    signature, then decryption, length and hash (:class:`TamperedBundle`).
    """
    parts = _parse(data)
    manifest = parts.manifest
    if recipient is not None and manifest.recipient != recipient:
        raise ForeignBundle(reason_msg=N_("it was made for another computer"))
    if manifest.recipient_key != recipient_keys.public().key_id:
        raise ForeignBundle(reason_msg=N_("it was sealed to keys this computer does not have"))
    sender_keys = sender_public if isinstance(sender_public, PublicKeys) else sender_public(manifest.sender)
    if sender_keys is None:
        raise ForeignBundle(reason_msg=N_("the device that made it is not registered"))

    try:
        Ed25519PublicKey.from_public_bytes(sender_keys.signing_public).verify(parts.signature, parts.signed)
    except (InvalidSignature, ValueError):
        raise TamperedBundle(reason_msg=N_("the signature does not match")) from None

    try:
        shared = X25519PrivateKey.from_private_bytes(recipient_keys.encryption_private).exchange(
            X25519PublicKey.from_public_bytes(parts.ephemeral_public))
        key = _derive_key(shared, parts.ephemeral_public, recipient_keys.encryption_public, manifest)
        payload = AESGCM(key).decrypt(parts.nonce, parts.ciphertext, parts.manifest_bytes)
    except (InvalidTag, ValueError):
        raise TamperedBundle(reason_msg=N_("the encrypted contents do not check out")) from None
    if len(payload) != manifest.payload_bytes or not hmac.compare_digest(
            hashlib.sha256(payload).hexdigest(), manifest.payload_sha256):
        raise TamperedBundle(reason_msg=N_("the contents do not match the description"))
    return manifest, payload


def _derive_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes, manifest: Manifest) -> bytes:
    """One AES key per bundle, bound to both public keys and to who sends what to whom in which format."""
    info = b"LIETA-BUNDLE key" + b"".join(
        _LEN.pack(len(item)) + item
        for item in (str(manifest.format).encode(), manifest.kind.encode(), manifest.sender.encode(),
                     manifest.recipient.encode()))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=info).derive(shared)


@dataclass(frozen=True)
class _Parts:
    manifest: Manifest
    manifest_bytes: bytes
    ephemeral_public: bytes
    nonce: bytes
    ciphertext: bytes
    signed: bytes  # every byte the signature covers
    signature: bytes


def _parse(data: bytes) -> _Parts:
    """Split a bundle into its sections, checking magic, every length and the manifest; keys are not needed."""
    data = bytes(data)
    if len(data) > MAX_BUNDLE_BYTES:
        raise CorruptBundle(reason_msg=N_("the file is too large"))
    if not data.startswith(MAGIC_PREFIX):
        if MAGIC.startswith(data):
            raise CorruptBundle(reason_msg=N_("the file ends too early"))
        raise CorruptBundle(reason_msg=N_("not a sync bundle"))
    if len(data) == len(MAGIC_PREFIX):
        raise CorruptBundle(reason_msg=N_("the file ends too early"))
    if data[len(MAGIC_PREFIX)] != FORMAT_VERSION:
        raise UnsupportedBundle(version=data[len(MAGIC_PREFIX)])

    offset = len(MAGIC)

    def section(minimum: int, maximum: int) -> bytes:
        nonlocal offset
        if offset + _LEN.size > len(data):
            raise CorruptBundle(reason_msg=N_("the file ends too early"))
        (length,) = _LEN.unpack_from(data, offset)
        if not minimum <= length <= maximum:
            raise CorruptBundle(reason_msg=N_("a part of the file has the wrong size"))
        start, offset = offset + _LEN.size, offset + _LEN.size + length
        if offset > len(data):
            raise CorruptBundle(reason_msg=N_("the file ends too early"))
        return data[start:offset]

    manifest_bytes = section(2, MAX_MANIFEST_BYTES)
    try:
        manifest = _manifest_from_bytes(manifest_bytes)
    except ValueError:
        raise CorruptBundle(reason_msg=N_("its description is damaged")) from None
    ephemeral_public = section(KEY_BYTES, KEY_BYTES)
    nonce = section(NONCE_BYTES, NONCE_BYTES)
    ciphertext_size = manifest.payload_bytes + TAG_BYTES
    ciphertext = section(ciphertext_size, ciphertext_size)
    signed_end = offset
    signature = section(SIGNATURE_BYTES, SIGNATURE_BYTES)
    if offset != len(data):
        raise CorruptBundle(reason_msg=N_("there is extra data after its end"))
    return _Parts(manifest, manifest_bytes, ephemeral_public, nonce, ciphertext, data[:signed_end], signature)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _manifest_from_bytes(raw: bytes) -> Manifest:
    """Parse and validate a manifest strictly (``ValueError`` on anything unexpected)."""
    try:
        data = json.loads(raw.decode("ascii"), object_pairs_hook=_reject_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError("not JSON") from error
    names = {f.name for f in fields(Manifest)}
    if not isinstance(data, dict) or set(data) != names:
        raise ValueError("fields")

    def integer(name: str) -> int:
        value = data[name]
        if type(value) is not int or value < 0:
            raise ValueError(name)
        return value

    def text(name: str, pattern: re.Pattern[str]) -> str:
        value = data[name]
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(name)
        return value

    if integer("format") != FORMAT_VERSION:
        raise ValueError("format")
    if data["kind"] not in KINDS:
        raise ValueError("kind")
    first_seq, last_seq = integer("first_seq"), integer("last_seq")
    if first_seq > last_seq or (first_seq == 0 and last_seq != 0):
        raise ValueError("sequence range")
    created_at = text("created_at", _CREATED)
    dt.datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ")  # a real date and time, or ValueError
    if integer("payload_bytes") > MAX_BUNDLE_BYTES:
        raise ValueError("payload_bytes")
    return Manifest(
        format=FORMAT_VERSION, kind=data["kind"], sender=text("sender", _ID), recipient=text("recipient", _ID),
        recipient_key=text("recipient_key", _KEY_ID),
        epoch=None if data["epoch"] is None else text("epoch", _ID), first_seq=first_seq, last_seq=last_seq,
        schema_version=integer("schema_version"), created_at=created_at, payload_bytes=data["payload_bytes"],
        payload_sha256=text("payload_sha256", _SHA256),
    )


# --- files -----------------------------------------------------------------------------------------------------


def _write_reason(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return N_("the folder does not exist or the USB stick was removed")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return N_("the folder or the USB stick is write-protected")
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return N_("there is not enough space on the USB stick")
    return N_("the USB stick could not be written")


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; Windows and some stick file systems cannot sync a folder, which is harmless."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
    finally:
        os.close(fd)


def _reads_back_equal(path: Path, data: bytes) -> bool:
    """Compare the file, as the device returns it, with ``data`` chunk by chunk.

    The page cache is dropped first where the system allows it, so the bytes come from the stick, not from
    memory (sticks lie about having written).
    """
    view = memoryview(data)
    with open(path, "rb", buffering=0) as handle:
        if os.fstat(handle.fileno()).st_size != len(data):
            return False
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        offset = 0
        while chunk := handle.read(_READ_CHUNK):
            if view[offset:offset + len(chunk)] != chunk:
                return False
            offset += len(chunk)
        return offset == len(data)


def write_bundle(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` durably and verify it by reading it back; on failure leave nothing behind.

    Temp file in the same folder, write, flush, fsync, rename over ``path``, fsync the folder, read back and
    compare. Raises :class:`BundleWriteFailed` (the temp file, and a final file that read back wrong, are removed).
    """
    path = Path(path)
    data = bytes(data)
    if len(data) > MAX_BUNDLE_BYTES:
        raise ValueError("bundle too large")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    renamed = False
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        renamed = True
        _fsync_folder(path.parent)
        if not _reads_back_equal(path, data):
            raise BundleWriteFailed(reason_msg=N_("the copy on the USB stick differs from what was written; the "
                                                  "stick may be failing"))
    except BaseException as error:
        for leftover in (temp, path) if renamed else (temp,):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass
        if isinstance(error, OSError):
            raise BundleWriteFailed(reason_msg=_write_reason(error)) from error
        raise


def read_bundle(path: Path) -> bytes:
    """The bytes of a bundle file, refusing a file too large to be one before reading it into memory."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_BUNDLE_BYTES:
                raise CorruptBundle(reason_msg=N_("the file is too large"))
            data = handle.read()
    except FileNotFoundError:
        raise BundleNotFound() from None
    except IsADirectoryError:
        raise CorruptBundle(reason_msg=N_("not a sync bundle")) from None
    except OSError as error:
        raise CorruptBundle(reason_msg=N_("the file could not be read")) from error
    if len(data) > MAX_BUNDLE_BYTES:  # grew while being read
        raise CorruptBundle(reason_msg=N_("the file is too large"))
    return data
