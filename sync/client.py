"""The laptop's sync engine over HTTPS (ARCHITECTURE.md rule 5): enrol, sign in, push, pull, retry.

One round (:meth:`SyncEngine.sync`) pushes the whole outbox in batches, then pulls every page; each step
commits on its own (:mod:`sync.local`), so a cut anywhere resumes where it stopped and nothing is applied
twice. Transient failures (no network, a timeout, a service restarting) are retried with exponential backoff
and jitter; answers that will not change by retrying (revoked, upgrade required, refused sign-in) are not.

Trust: at enrolment the laptop pins the service's TLS certificate and from then on talks only to a service
presenting that very certificate — an office network cannot redirect it. Plain HTTP is accepted only on the
loopback interface (the embedded demo service). A revoked laptop erases its store at its next contact.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import socket
import ssl
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
from sqlalchemy import insert, select, update

from storage import migrate
from storage.errors import N_, LietaError
from storage.ids import new_id
from storage.models import DeviceState, SyncState, utcnow
from storage.store import Store
from sync import local, protocol
from app.settings import LOOPBACK  # the hosts where plain HTTP is allowed
from app.signing import KeyPair
from sync.protocol import PullPage, PushReply, UpgradeRequired, login_message

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class SyncError(LietaError):
    code = "sync"


class ServiceUnreachable(SyncError):
    code = "offline"
    msgid = N_("The central service cannot be reached. Your work is kept on this laptop and will be sent at the "
               "next sync.")


class SignInNeeded(SyncError):
    code = "sign_in_needed"
    msgid = N_("Sign in to the central service again to sync (your work is kept).")


class SyncRefused(SyncError):
    code = "sync_refused"
    msgid = N_("The central service refused the request ({reason_msg}). Your work is kept; tell the administrator.")


class DeviceRevoked(SyncError):
    code = "device_revoked"
    msgid = N_("This laptop was withdrawn from the central service, so its case store has been erased. Ask the "
               "administrator to enrol it again.")


class CopiedStore(SyncError):
    code = "device_cloned"
    msgid = N_("This laptop's case store is a copy of another laptop's, so the central service cannot tell their "
               "changes apart. Nothing was sent. Ask the administrator to enrol this laptop again.")


class InsecureServer(SyncError):
    code = "insecure_server"
    msgid = N_("The central service must be reached over HTTPS (plain HTTP is only allowed on this computer "
               "itself).")


class CertificateChanged(SyncError):
    code = "certificate_changed"
    msgid = N_("The central service presented a different certificate than the one this laptop trusts. Nothing "
               "was sent. Ask the administrator before syncing again.")


@dataclass
class SyncReport:
    pushed: int = 0
    refused: int = 0
    pulled: int = 0
    pages: int = 0
    snapshot: bool = False
    errors: list[str] = field(default_factory=list)


def _is_loopback(url: str) -> bool:
    return (urllib.parse.urlsplit(url).hostname or "") in LOOPBACK


def fetch_certificate(url: str, timeout: float = 10.0) -> str:
    """The PEM certificate a TLS service presents (trusted on first use, at enrolment only)."""
    parts = urllib.parse.urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=parts.hostname) as tls:
            der = tls.getpeercert(binary_form=True)
    return ssl.DER_cert_to_PEM_cert(der)


def pinned_context(certificate_pem: str) -> ssl.SSLContext:
    """TLS that accepts exactly the pinned certificate (a self-signed office certificate works too)."""
    context = ssl.create_default_context(cadata=certificate_pem)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.check_hostname = False  # the pin is stronger than a name: only this certificate verifies
    return context


def http_client(url: str, certificate_pem: str | None) -> httpx.Client:
    """An HTTP client for the service at ``url``: pinned TLS, or plain HTTP on loopback only."""
    if url.startswith("https://"):
        if not certificate_pem:
            raise CertificateChanged()
        return httpx.Client(base_url=url, verify=pinned_context(certificate_pem), timeout=TIMEOUT)
    if not _is_loopback(url):
        raise InsecureServer()
    return httpx.Client(base_url=url, timeout=TIMEOUT)


def _refusal(response: httpx.Response) -> tuple[str, str]:
    try:
        data = response.json()
        return str(data.get("error", response.status_code)), str(data.get("message", ""))
    except ValueError:
        return str(response.status_code), ""


def _post(http: httpx.Client, path: str, content: bytes, headers: dict[str, str]) -> httpx.Response:
    try:
        return http.post(path, content=content, headers=headers)
    except ssl.SSLError:
        raise CertificateChanged() from None
    except httpx.ConnectError as error:
        if isinstance(error.__cause__, ssl.SSLError) or "CERTIFICATE" in str(error).upper():
            raise CertificateChanged() from None
        raise ServiceUnreachable() from None
    except httpx.TransportError:
        raise ServiceUnreachable() from None


def enrol(data_dir: Any, *, url: str, code: str, login: str, password: str, device_name: str = "",
          http: httpx.Client | None = None, certificate_pem: str | None = None) -> Store:
    """Make this laptop's store by enrolling with the central service: a key pair made here, the service's
    certificate pinned, the scope recorded, the user signed in (their store passphrase is their service
    password). The first sync then reads the scope as a snapshot."""
    url = url.rstrip("/")
    if url.startswith("https://") and certificate_pem is None:
        try:
            certificate_pem = fetch_certificate(url)
        except OSError:
            raise ServiceUnreachable() from None
    http = http or http_client(url, certificate_pem)
    keys = KeyPair.generate()
    device_id = new_id()
    body = {"code": code, "device_id": str(device_id), "name": device_name or socket.gethostname()[:120],
            "public_keys": keys.public().to_text()}
    response = _post(http, "/v1/enrol", _json(body), {"content-type": "application/json"})
    if response.status_code != 200:
        error, _message = _refusal(response)
        raise SyncRefused(reason_msg=error)
    enrolment = response.json()
    signed = _sign_in(http, device_id, keys, login, password)
    store = Store.create(data_dir, login, password, display_name=signed["display_name"], roles=signed["roles"],
                         user_id=signed["user_id"], device_id=device_id)
    with store.engine.begin() as conn:
        conn.execute(insert(SyncState.__table__).values(
            singleton=1, server_url=url, server_certificate=certificate_pem, server_keys=enrolment["service_keys"],
            device_keys=keys.to_text(), parish_ids=enrolment["parish_ids"], municipal=enrolment["municipal"],
            epoch=enrolment["epoch"], pulled_version=0, snapshot_from=0, snapshot_after=None,
            token=signed["token"].encode(), token_user_id=signed["user_id"], token_expires_at=signed["expires_at"],
            device_certificate=signed["device_certificate"] or enrolment.get("device_certificate"),
            enrolled_at=utcnow()))
    return store


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def _sign_in(http: httpx.Client, device_id: Any, keys: KeyPair, login: str, password: str) -> dict[str, Any]:
    signature = base64.b64encode(keys.sign(login_message(device_id, login))).decode()
    body = {"device_id": str(device_id), "login": login, "password": password, "signature": signature}
    response = _post(http, "/v1/sign-in", _json(body), {"content-type": "application/json"})
    if response.status_code == 410:
        raise DeviceRevoked()
    if response.status_code == 401:
        raise SignInNeeded()
    if response.status_code != 200:
        raise SyncRefused(reason_msg=_refusal(response)[0])
    data = response.json()
    return {"token": data["token"], "user_id": uuid.UUID(data["user_id"]), "display_name": data["display_name"],
            "roles": list(data["roles"]),
            "expires_at": dt.datetime.fromisoformat(data["expires_at"]), "first_on_device": data["first_on_device"],
            "device_certificate": data.get("device_certificate")}


class SyncEngine:
    """Syncs one unlocked store. ``password`` (the signed-in user's) lets it sign in again when the day's
    token has expired; without it an expired token raises :class:`SignInNeeded`."""

    def __init__(self, store: Store, *, http: httpx.Client | None = None, password: Callable[[], str | None] | None
                 = None, page_limit: int = 500, batch_size: int = local.PUSH_BATCH,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        self.store = store
        with store.engine.connect() as conn:
            state = local.sync_state(conn)
        self._http = http or http_client(state.server_url, state.server_certificate)
        self._password = password or (lambda: None)
        self.page_limit, self.batch_size = page_limit, batch_size
        self._progress = progress or (lambda stage, done, total: None)

    # -- one round -----------------------------------------------------------------------------------------
    def sync(self) -> SyncReport:
        """Push everything pending, then pull everything new. Raises :class:`SyncError` subclasses."""
        report = SyncReport()
        try:
            self.push(report)
            self.pull(report)
            if local.status(self.store).pending:  # a new service epoch asked for changes again
                self.push(report)
                self.pull(report)
        except DeviceRevoked:
            self.store.erase()
            raise
        except SyncError as error:
            local.mark_attempt(self.store, error=error.code, success=False)
            raise
        except UpgradeRequired:
            local.mark_attempt(self.store, error="upgrade_required", success=False)
            raise
        local.mark_attempt(self.store, error=None, success=True)
        return report

    def sync_with_retries(self, attempts: int = 5, base_delay: float = 1.0, max_delay: float = 60.0,
                          sleep: Callable[[float], None] = time.sleep) -> SyncReport:
        """:meth:`sync`, retried with exponential backoff and jitter while the service is unreachable."""
        for attempt in range(attempts):
            try:
                return self.sync()
            except ServiceUnreachable:
                if attempt == attempts - 1:
                    raise
                sleep(min(max_delay, base_delay * 2 ** attempt) * random.uniform(0.5, 1.0))
        raise ServiceUnreachable()

    def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        stalled = 0
        total = local.status(self.store).pending
        while True:
            batch = local.pending_batch(self.store, self.batch_size)
            if not batch.changes:
                return report
            reply = protocol.decode(self._call("/v1/push", protocol.encode(batch)), PushReply)
            before = batch.changes[0].device_seq - 1
            report.refused += local.record_push_reply(self.store, reply)
            report.pushed += sum(1 for r in reply.results if r.result != "duplicate")
            self._progress("push", min(report.pushed, total), total)
            if reply.last_applied_seq <= before:  # nothing moved: the service holds a gap or lost our history
                stalled += 1
                if stalled > 2:
                    raise SyncRefused(reason_msg=N_("the service did not accept the next change"))
            else:
                stalled = 0

    def pull(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        low = local.low_number_blocks(self.store, dt.date.today().year)
        while True:
            request = local.next_pull_request(self.store, self.page_limit, low)
            low = []  # ask once per round; the leased blocks arrive in this round's pages
            page = protocol.decode(self._call("/v1/pull", protocol.encode(request)), PullPage)
            report.pulled += local.apply_page(self.store, request, page)
            report.pages += 1
            report.snapshot = report.snapshot or request.snapshot
            self._progress("pull", report.pulled, report.pulled + (self.page_limit if page.has_more else 0))
            if not request.snapshot and not page.has_more and not local.snapshot_running(self.store):
                return report


    # -- transport and sign-in -------------------------------------------------------------------------------
    def _token(self) -> tuple[Any, str]:
        with self.store.engine.connect() as conn:
            state = local.sync_state(conn)
            device_id = conn.execute(select(DeviceState.__table__.c.device_id)).scalar_one()
        if state.token is None:
            self._sign_in_again(device_id)
            return self._token()
        return device_id, state.token.decode()

    def _sign_in_again(self, device_id: Any) -> None:
        password = self._password()
        if not password:
            raise SignInNeeded()
        with self.store.engine.connect() as conn:
            state = local.sync_state(conn)
        keys = KeyPair.from_text(state.device_keys)
        signed = _sign_in(self._http, device_id, keys, self.store.login, password)
        with self.store.engine.begin() as conn:
            conn.execute(update(SyncState.__table__).values(
                token=signed["token"].encode(), token_user_id=signed["user_id"],
                token_expires_at=signed["expires_at"],
                device_certificate=signed["device_certificate"] or state.device_certificate))
        if signed["first_on_device"]:
            local.start_rescan(self.store)

    def _call(self, path: str, body: bytes, *, retried: bool = False) -> bytes:
        device_id, token = self._token()
        response = _post(self._http, path, body, {"authorization": f"Bearer {token}", "x-lieta-device": str(device_id),
                                                  "content-type": "application/x-lieta-sync"})
        if response.status_code == 200:
            return response.content
        error, _message = _refusal(response)
        if response.status_code == 410:
            raise DeviceRevoked()
        if response.status_code == 409 and error == "device_cloned":
            raise CopiedStore()
        if response.status_code == 401 and not retried:
            with self.store.engine.begin() as conn:
                conn.execute(update(SyncState.__table__).values(token=None))
            self._sign_in_again(device_id)
            return self._call(path, body, retried=True)
        if response.status_code == 401:
            raise SignInNeeded()
        if response.status_code == 426:
            raise UpgradeRequired(minimum=response.json().get("minimum", "?"), current=migrate.SCHEMA_VERSION)
        if response.status_code in (502, 503, 504):
            raise ServiceUnreachable()
        raise SyncRefused(reason_msg=error)


__all__ = ["CertificateChanged", "DeviceRevoked", "InsecureServer", "ServiceUnreachable", "SignInNeeded",
           "SyncEngine", "SyncError", "SyncRefused", "SyncReport", "enrol", "http_client"]
