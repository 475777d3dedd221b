"""Who talks to the central service: staff (Argon2id passwords), enrolled laptops (their own key pairs) and
sign-in tokens binding one user to one laptop for a working day.

A laptop enrols once with a one-time code an administrator printed for its parishes; it sends the public half
of a key pair it made itself. Signing in proves both: the user's password and the laptop's signature. Only
hashes of codes and tokens are stored, so a copy of the service's database opens no laptop's session.
Revoking a laptop ends its tokens at once; at its next contact it is told to erase its store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from storage.errors import N_, LietaError
from storage.ids import HybridLogicalClock, new_id
from app.attestation import certify_device
from app.signing import KeyPair, PublicKeys, verify_signature
from sync.protocol import login_message
from sync.server.apply import RevokedDevice, UnknownDevice, load_device, record_service_change
from sync.server.feed import initial_blocks, lease_blocks
from sync.server.schema import (device_users, devices, enrolment_codes, server_state, service_keys, tokens, users)

TOKEN_HOURS = 12
CODE_HOURS = 72
ROLES = ("social_worker", "assistance_organiser", "head", "administrator", "inspector")
_hasher = PasswordHasher()


class AuthError(LietaError):
    code = "auth"


class EnrolmentRefused(AuthError):
    code = "enrolment_refused"
    msgid = N_("The enrolment code was not accepted ({reason_msg}). Ask the administrator for a new code.")


class SignInRefused(AuthError):
    code = "sign_in_refused"
    msgid = N_("The central service did not accept the user name or password.")


class TokenInvalid(AuthError):
    code = "token_invalid"
    msgid = N_("The central service does not recognise this laptop's sign-in; sign in again.")


class TokenExpired(AuthError):
    code = "token_expired"
    msgid = N_("The sign-in to the central service has expired; sign in again.")


class UserExists(AuthError):
    code = "user_exists"
    msgid = N_("A user with the login {login} already exists.")


def _digest(secret: str | bytes) -> str:
    return hashlib.sha256(secret.encode() if isinstance(secret, str) else secret).hexdigest()


def add_user(conn: Connection, clock: HybridLogicalClock, *, login: str, display_name: str, roles: list[str],
             parish_ids: list[str], password: str, now: dt.datetime | None = None, user_id: uuid.UUID | None = None,
             publish: bool = True) -> uuid.UUID:
    """A member of staff who can sign in; their record reaches every laptop as a ``users`` row.

    ``user_id`` and ``publish=False`` adopt a user a laptop created before it was enrolled (its own ``users``
    record arrives with its first push)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"roles must be among {', '.join(ROLES)}")
    if conn.execute(select(users.c.id).where(users.c.login == login)).first():
        raise UserExists(login=login)
    user_id = user_id or new_id()
    conn.execute(insert(users).values(id=user_id, login=login, display_name=display_name, roles=list(roles),
                                      parish_ids=list(parish_ids), password_hash=_hasher.hash(password),
                                      created_at=now))
    if not publish:
        return user_id
    record_service_change(conn, clock, "users", user_id, {
        "login": login, "display_name": display_name, "roles": list(roles), "parish_ids": list(parish_ids),
        "position": None, "active": True, "deleted": False}, now)
    return user_id


def create_enrolment_code(conn: Connection, parish_ids: list[str], *, municipal: bool = False,
                          hours: int = CODE_HOURS, now: dt.datetime | None = None) -> str:
    """A one-time code (printed for the administrator; only its hash is kept) for a laptop of these parishes."""
    now = now or dt.datetime.now(dt.timezone.utc)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
    raw = "".join(secrets.choice(alphabet) for _ in range(15))
    code = "-".join(raw[i:i + 5] for i in range(0, 15, 5))
    conn.execute(insert(enrolment_codes).values(code_hash=_digest(code), parish_ids=list(parish_ids),
                                                municipal=municipal, created_at=now,
                                                expires_at=now + dt.timedelta(hours=hours)))
    return code


@dataclass(frozen=True)
class Enrolment:
    device_id: uuid.UUID
    parish_ids: list[str]
    municipal: bool
    epoch: str
    service_keys: str  # the service's PublicKeys text form (USB bundles are encrypted to it)
    device_certificate: str  # the laptop's signing key certified: it signs documents' verification codes


def enrol(conn: Connection, clock: HybridLogicalClock, *, code: str, device_id: uuid.UUID, name: str,
          public_keys: str, now: dt.datetime | None = None) -> Enrolment:
    """Register a laptop with a one-time code; it gets its scope, the epoch and its first number blocks."""
    now = now or dt.datetime.now(dt.timezone.utc)
    row = conn.execute(select(enrolment_codes).where(enrolment_codes.c.code_hash == _digest(code.strip().upper()))
                       .with_for_update()).first()
    if row is None:
        raise EnrolmentRefused(reason_msg=N_("unknown code"))
    if row.used_at is not None:
        raise EnrolmentRefused(reason_msg=N_("the code was already used"))
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    if expires < now:
        raise EnrolmentRefused(reason_msg=N_("the code has expired"))
    PublicKeys.from_text(public_keys)  # refuse malformed keys now, not at the first bundle
    if conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first():
        raise EnrolmentRefused(reason_msg=N_("this laptop is already enrolled"))
    conn.execute(insert(devices).values(id=device_id, name=name[:120], last_applied_seq=0,
                                        parish_ids=list(row.parish_ids), municipal=row.municipal,
                                        public_keys=public_keys, enrolled_at=now))
    conn.execute(update(enrolment_codes).where(enrolment_codes.c.code_hash == row.code_hash)
                 .values(used_at=now, device_id=device_id))
    lease_blocks(conn, clock, device_id, initial_blocks(now.year), now)
    return Enrolment(device_id, list(row.parish_ids), bool(row.municipal),
                     conn.execute(select(server_state.c.epoch)).scalar_one(), service_public_keys(conn),
                     device_certificate(conn, device_id, public_keys, now))


@dataclass(frozen=True)
class SignIn:
    token: str
    user_id: uuid.UUID
    display_name: str
    roles: list[str]
    expires_at: dt.datetime
    first_on_device: bool  # a new user on this laptop: its scope grew (restricted files), re-read a snapshot
    device_certificate: str  # renewed at each sign-in (a laptop enrolled before certificates gets one here)


def sign_in(conn: Connection, *, device_id: uuid.UUID, login: str, password: str, signature: bytes,
            now: dt.datetime | None = None) -> SignIn:
    now = now or dt.datetime.now(dt.timezone.utc)
    device = load_device(conn, device_id)
    if not verify_signature(PublicKeys.from_text(device.public_keys), login_message(device_id, login), signature):
        raise UnknownDevice(str(device_id))
    user = conn.execute(select(users).where(users.c.login == login, users.c.disabled_at.is_(None))).first()
    try:
        if user is None:
            _hasher.hash(password)  # the same work either way: no timing hint about which logins exist
            raise SignInRefused()
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise SignInRefused() from None
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=TOKEN_HOURS)
    conn.execute(insert(tokens).values(token_hash=_digest(token), user_id=user.id, device_id=device_id,
                                       issued_at=now, expires_at=expires))
    seen = conn.execute(select(device_users.c.user_id).where(device_users.c.device_id == device_id,
                                                             device_users.c.user_id == user.id)).first()
    if seen is None:
        conn.execute(insert(device_users).values(device_id=device_id, user_id=user.id, first_seen_at=now))
    return SignIn(token, user.id, user.display_name, list(user.roles), expires, seen is None,
                  device_certificate(conn, device_id, device.public_keys, now))


def authenticate(conn: Connection, token: str, device_id: uuid.UUID, now: dt.datetime | None = None) -> Any:
    """The signed-in user behind ``token`` on ``device_id`` (a ``users`` row); raises for anything else."""
    now = now or dt.datetime.now(dt.timezone.utc)
    load_device(conn, device_id)  # revoked first: a revoked laptop must hear it even with a stale token
    row = conn.execute(select(tokens).where(tokens.c.token_hash == _digest(token))).first()
    if row is None or row.device_id != device_id:
        raise TokenInvalid()
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    if expires <= now:
        raise TokenExpired()
    user = conn.execute(select(users).where(users.c.id == row.user_id, users.c.disabled_at.is_(None))).first()
    if user is None:
        raise TokenInvalid()
    return user


def revoke(conn: Connection, device_id: uuid.UUID, now: dt.datetime | None = None) -> None:
    """Refuse the laptop from now on; it erases its store when it next makes contact."""
    now = now or dt.datetime.now(dt.timezone.utc)
    done = conn.execute(update(devices).where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
                        .values(revoked_at=now)).rowcount
    if not done and conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first() is None:
        raise UnknownDevice(str(device_id))
    conn.execute(delete(tokens).where(tokens.c.device_id == device_id))


def service_key_pair(conn: Connection) -> KeyPair:
    """The service's keys for USB bundles, made on first use."""
    text = conn.execute(select(service_keys.c.key_pair)).scalar()
    if text is None:
        pair = KeyPair.generate()
        conn.execute(insert(service_keys).values(singleton=1, key_pair=pair.to_text(),
                                                 created_at=dt.datetime.now(dt.timezone.utc)))
        return pair
    return KeyPair.from_text(text)


def service_public_keys(conn: Connection) -> str:
    return service_key_pair(conn).public().to_text()


def device_certificate(conn: Connection, device_id: uuid.UUID, public_keys: str, now: dt.datetime) -> str:
    """The service's signature on a laptop's signing key (``app.attestation``): its documents verify offline."""
    return certify_device(service_key_pair(conn), device_id, PublicKeys.from_text(public_keys), now.date()).to_text()


__all__ = ["AuthError", "EnrolmentRefused", "RevokedDevice", "SignInRefused", "TokenExpired", "TokenInvalid",
           "UnknownDevice", "add_user", "authenticate", "create_enrolment_code", "enrol", "revoke", "sign_in"]
