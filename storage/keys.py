"""Key slots: the random data key, wrapped once per user and once for the main office.

The database is encrypted with a random 256-bit data key used by SQLCipher as a raw key, so opening costs
no KDF. Each user of the laptop has a slot: the data key wrapped with AES-256-GCM under a key derived from
the passphrase with Argon2id (parameters stored in the slot, calibrated on this device). A recovery slot
wraps the data key to the main office's X25519 public key so the office can restore access after a
forgotten passphrase. A failed unwrap is a wrong passphrase — never confused with a damaged file.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import DamagedStore, N_, UnknownUser, WrongPassphrase
from storage.fileio import atomic_write_bytes

SLOTS_FORMAT = 1
DATA_KEY_BYTES = 32
#: The floor from ARCHITECTURE.md rule 2 (OWASP's minimum for Argon2id): never weaker than this.
MIN_MEMORY_KIB = 19 * 1024
MIN_TIME_COST = 2
TARGET_SECONDS = 0.5
MAX_MEMORY_KIB = 256 * 1024


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int = 1
    salt: bytes = field(default_factory=lambda: os.urandom(16))

    def __post_init__(self) -> None:
        if self.memory_kib < MIN_MEMORY_KIB or self.time_cost < MIN_TIME_COST:
            raise ValueError("Argon2id parameters below the floor of 19 MiB and 2 passes")

    def derive(self, passphrase: str) -> bytes:
        return hash_secret_raw(
            passphrase.encode("utf-8"),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
        )

    def with_new_salt(self) -> KdfParams:
        return KdfParams(self.time_cost, self.memory_kib, self.parallelism)

    def to_json(self) -> dict:
        return {
            "alg": "argon2id",
            "t": self.time_cost,
            "m": self.memory_kib,
            "p": self.parallelism,
            "salt": _b64(self.salt),
        }

    @classmethod
    def from_json(cls, data: dict) -> KdfParams:
        if data.get("alg") != "argon2id":
            raise DamagedStore(detail="unknown key derivation")
        return cls(int(data["t"]), int(data["m"]), int(data["p"]), _unb64(data["salt"]))


def calibrate_kdf(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Argon2id parameters that cost about ``target_seconds`` on this device, never below the floor.

    ``LIETA_KDF_PROFILE=minimum`` (tests, benchmarks of other things) takes the floor itself.
    """
    if os.environ.get("LIETA_KDF_PROFILE") == "minimum":
        return KdfParams(MIN_TIME_COST, MIN_MEMORY_KIB)
    memory = 64 * 1024
    probe = KdfParams(MIN_TIME_COST, memory)
    started = time.perf_counter()
    probe.derive("calibration")
    elapsed = max(time.perf_counter() - started, 1e-4)
    if elapsed > target_seconds:  # a very slow machine: spend less memory rather than more time
        memory = max(MIN_MEMORY_KIB, int(memory * target_seconds / elapsed))
        return KdfParams(MIN_TIME_COST, memory)
    scale = target_seconds / elapsed
    memory_scaled = min(MAX_MEMORY_KIB, int(memory * min(scale, 2.0)))
    time_cost = max(MIN_TIME_COST, round(MIN_TIME_COST * scale * memory / memory_scaled))
    return KdfParams(min(time_cost, 12), memory_scaled)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _aad(store_id: str, kind: str, name: str, extra: dict) -> bytes:
    """Binds a slot's ciphertext to its store, kind, owner and parameters (no slot swapping)."""
    return json.dumps([SLOTS_FORMAT, store_id, kind, name, extra], sort_keys=True).encode()


class DataKey:
    """The raw SQLCipher key, kept in a mutable buffer so :meth:`wipe` can overwrite it."""

    def __init__(self, raw: bytes | bytearray) -> None:
        if len(raw) != DATA_KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self._buf = bytearray(raw)

    @classmethod
    def generate(cls) -> DataKey:
        return cls(os.urandom(DATA_KEY_BYTES))

    def raw(self) -> bytes:
        if not any(self._buf):
            raise RuntimeError("the data key was wiped (store locked)")
        return bytes(self._buf)

    def sqlcipher_pragma_value(self) -> str:
        return "\"x'" + self.raw().hex() + "'\""

    def wipe(self) -> None:
        for i in range(len(self._buf)):
            self._buf[i] = 0

    def __repr__(self) -> str:  # never print key material
        return "DataKey(<hidden>)"


@dataclass
class KeySlots:
    """The contents of ``keyslots.json``: no personal data, only logins and wrapped keys."""

    store_id: str
    passphrase_slots: dict[str, dict] = field(default_factory=dict)
    recovery_slot: dict | None = None

    # -- passphrase slots ---------------------------------------------------------------------------
    def add_user(self, login: str, passphrase: str, data_key: DataKey, params: KdfParams) -> None:
        kek = params.derive(passphrase)
        nonce = os.urandom(12)
        kdf = params.to_json()
        wrapped = AESGCM(kek).encrypt(nonce, data_key.raw(), _aad(self.store_id, "passphrase", login, kdf))
        self.passphrase_slots[login] = {"kdf": kdf, "nonce": _b64(nonce), "wrapped": _b64(wrapped)}

    def unwrap_user(self, login: str, passphrase: str) -> DataKey:
        slot = self.passphrase_slots.get(login)
        if slot is None:
            # Spend the same work as a real attempt, so timing does not reveal which logins exist.
            if self.passphrase_slots:
                KdfParams.from_json(next(iter(self.passphrase_slots.values()))["kdf"]).derive(passphrase)
            raise UnknownUser()
        try:
            params = KdfParams.from_json(slot["kdf"])
            nonce, wrapped = _unb64(slot["nonce"]), _unb64(slot["wrapped"])
        except (KeyError, ValueError, TypeError) as exc:
            raise DamagedStore(detail="key slot unreadable") from exc
        kek = params.derive(passphrase)
        try:
            raw = AESGCM(kek).decrypt(nonce, wrapped, _aad(self.store_id, "passphrase", login, slot["kdf"]))
        except InvalidTag:
            raise WrongPassphrase() from None
        return DataKey(raw)

    def remove_user(self, login: str) -> None:
        self.passphrase_slots.pop(login, None)

    def users(self) -> list[str]:
        return sorted(self.passphrase_slots)

    # -- recovery slot --------------------------------------------------------------------------------
    def set_recovery(self, office_public_key: X25519PublicKey, data_key: DataKey) -> None:
        ephemeral = X25519PrivateKey.generate()
        ephemeral_pub = ephemeral.public_key().public_bytes_raw()
        recipient = office_public_key.public_bytes_raw()
        kek = _recovery_kek(ephemeral.exchange(office_public_key), ephemeral_pub, recipient)
        nonce = os.urandom(12)
        meta = {"recipient": _b64(recipient), "ephemeral": _b64(ephemeral_pub)}
        wrapped = AESGCM(kek).encrypt(nonce, data_key.raw(), _aad(self.store_id, "recovery", "office", meta))
        self.recovery_slot = {**meta, "nonce": _b64(nonce), "wrapped": _b64(wrapped)}

    def unwrap_recovery(self, office_private_key: X25519PrivateKey) -> DataKey:
        slot = self.recovery_slot
        if slot is None:
            raise WrongPassphrase(N_("No office recovery key is installed on this laptop; the office cannot restore access."))
        recipient = office_private_key.public_key().public_bytes_raw()
        if _unb64(slot["recipient"]) != recipient:
            raise WrongPassphrase(N_("This office key does not match the store's recovery slot."))
        ephemeral_pub = _unb64(slot["ephemeral"])
        shared = office_private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_pub))
        kek = _recovery_kek(shared, ephemeral_pub, recipient)
        meta = {"recipient": slot["recipient"], "ephemeral": slot["ephemeral"]}
        try:
            raw = AESGCM(kek).decrypt(
                _unb64(slot["nonce"]), _unb64(slot["wrapped"]), _aad(self.store_id, "recovery", "office", meta)
            )
        except InvalidTag:
            raise WrongPassphrase(N_("This office key does not match the store's recovery slot.")) from None
        return DataKey(raw)

    # -- file -----------------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        doc = {
            "format": SLOTS_FORMAT,
            "store_id": self.store_id,
            "passphrase_slots": self.passphrase_slots,
            "recovery_slot": self.recovery_slot,
        }
        return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> KeySlots:
        try:
            doc = json.loads(data.decode("utf-8"))
            if doc.get("format") != SLOTS_FORMAT:
                raise DamagedStore(detail="unknown key slot format")
            return cls(doc["store_id"], dict(doc["passphrase_slots"]), doc.get("recovery_slot"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DamagedStore(detail="key slots unreadable") from exc

    def save(self, path: Path) -> None:
        atomic_write_bytes(path, self.to_bytes())

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            return cls.from_bytes(path.read_bytes())
        except FileNotFoundError as exc:
            raise DamagedStore(detail="key slots missing") from exc


def _recovery_kek(shared: bytes, ephemeral_pub: bytes, recipient: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=ephemeral_pub + recipient, info=b"lieta recovery slot v1").derive(shared)


# -- the main office's recovery key pair -------------------------------------------------------------
def generate_office_key(passphrase: str) -> tuple[bytes, str]:
    """A new office recovery key: (encrypted PEM of the private key, public key as base64)."""
    private = X25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    return pem, _b64(private.public_key().public_bytes_raw())


def load_office_private_key(pem: bytes, passphrase: str) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise WrongPassphrase(N_("The office key file or its passphrase is wrong.")) from None
    if not isinstance(key, X25519PrivateKey):
        raise WrongPassphrase(N_("The office key file or its passphrase is wrong."))
    return key


def parse_office_public_key(text: str) -> X25519PublicKey:
    from storage.errors import LietaError

    try:
        return X25519PublicKey.from_public_bytes(_unb64(text.strip()))
    except ValueError:
        raise LietaError(N_("The office public key is not valid (expected 32 bytes in base64).")) from None
