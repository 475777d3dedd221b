"""Key pairs of the central service and of every enrolled laptop, and their signatures.

Each party holds X25519 (to receive sealed USB bundles) and Ed25519 (to sign: a sign-in, a bundle, a document's
verification code). Private keys live only in the encrypted store or the service's database; the text forms
below are what is stored there and what an administrator sees of the public half.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage.errors import N_, LietaError

KEY_BYTES, SIGNATURE_BYTES = 32, 64
_TEXT_KEYS = re.compile(r"^x25519:([A-Za-z0-9_-]{43});ed25519:([A-Za-z0-9_-]{43})$")
_TEXT_PRIVATE = re.compile(r"^x25519-private:([A-Za-z0-9_-]{43});ed25519-private:([A-Za-z0-9_-]{43})$")


class InvalidKeys(LietaError):
    code = "invalid_keys"
    msgid = N_("This is not a valid Lieta key text. Copy the whole text again, starting with 'x25519:'.")


@dataclass(frozen=True)
class PublicKeys:
    """A party's public keys (raw 32-byte forms); the text form is what the server stores and an admin sees."""

    encryption_public: bytes
    signing_public: bytes

    def __post_init__(self) -> None:
        if len(self.encryption_public) != KEY_BYTES or len(self.signing_public) != KEY_BYTES:
            raise InvalidKeys()

    @property
    def key_id(self) -> str:
        """A short fingerprint of the encryption key, written into the manifest of bundles sealed to it."""
        return hashlib.sha256(b"lieta-x25519:" + self.encryption_public).hexdigest()[:32]

    def to_text(self) -> str:
        return f"x25519:{b64(self.encryption_public)};ed25519:{b64(self.signing_public)}"

    @classmethod
    def from_text(cls, text: str) -> PublicKeys:
        match = _TEXT_KEYS.match(text.strip())
        if not match:
            raise InvalidKeys()
        try:
            keys = cls(unb64(match[1]), unb64(match[2]))
            Ed25519PublicKey.from_public_bytes(keys.signing_public)
        except (ValueError, binascii.Error):
            raise InvalidKeys() from None
        return keys

    def __str__(self) -> str:
        return self.to_text()


@dataclass(frozen=True)
class KeyPair:
    """A party's keys: X25519 to receive bundles, Ed25519 to sign them (raw 32-byte forms, never printed)."""

    encryption_private: bytes = field(repr=False)
    encryption_public: bytes
    signing_private: bytes = field(repr=False)
    signing_public: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        return cls.from_private(X25519PrivateKey.generate().private_bytes_raw(),
                                Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_private(cls, encryption_private: bytes, signing_private: bytes) -> KeyPair:
        """Rebuild a key pair from the two stored private keys (the public halves follow from them)."""
        if len(encryption_private) != KEY_BYTES or len(signing_private) != KEY_BYTES:
            raise InvalidKeys()
        return cls(
            encryption_private=bytes(encryption_private),
            encryption_public=X25519PrivateKey.from_private_bytes(encryption_private).public_key().public_bytes_raw(),
            signing_private=bytes(signing_private),
            signing_public=Ed25519PrivateKey.from_private_bytes(signing_private).public_key().public_bytes_raw(),
        )

    def public(self) -> PublicKeys:
        return PublicKeys(self.encryption_public, self.signing_public)

    def to_text(self) -> str:
        """The private keys as text, for the encrypted store or the service's database — nowhere else."""
        return f"x25519-private:{b64(self.encryption_private)};ed25519-private:{b64(self.signing_private)}"

    @classmethod
    def from_text(cls, text: str) -> KeyPair:
        match = _TEXT_PRIVATE.match(text or "")
        if not match:
            raise InvalidKeys()
        try:
            return cls.from_private(unb64(match.group(1)), unb64(match.group(2)))
        except (ValueError, binascii.Error):
            raise InvalidKeys() from None

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature (signing a user in: the service checks it with the enrolled public key)."""
        return Ed25519PrivateKey.from_private_bytes(self.signing_private).sign(message)


def verify_signature(public: PublicKeys, message: bytes, signature: bytes) -> bool:
    return verify_ed25519(public.signing_public, message, signature)


def verify_ed25519(signing_public: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(signing_public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64(raw) != text:  # canonical form only: one key, one text
        raise ValueError("non-canonical base64")
    return raw
