"""The central service's HTTP application (Starlette): enrolment, sign-in, push, pull, document verification,
health, metrics, OpenAPI.

Push and pull bodies are protocol messages (:mod:`sync.protocol`); enrolment and sign-in are small JSON
documents. Every push and pull carries ``Authorization: Bearer <token>`` and ``X-Lieta-Device``. Database
work runs in Starlette's thread pool, one transaction per request. Errors are JSON with a stable code: 400
damaged data, 401 sign in again, 403 not allowed, 410 revoked laptop (it erases its store), 413 too large,
426 upgrade before pulling. Logs are one JSON object per line with counts and codes, never record content.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import uuid
from collections import Counter
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.schemas import SchemaGenerator

from app.attestation import NotGenuine
from storage.ids import HybridLogicalClock
from sync import protocol
from sync.protocol import CorruptPayload, PullRequest, PushBatch, UnsupportedProtocol, UpgradeRequired
from sync.server import auth
from sync.server.apply import ClonedDevice, RevokedDevice, UnknownDevice, apply_push
from sync.server.feed import lease_blocks, pull
from sync.server.schema import server_state
from sync.server.verify import verify_document

MEDIA_TYPE = "application/x-lieta-sync"
MAX_BODY = 32 * 1024 * 1024
log = logging.getLogger("lieta.server")

_schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "Lieta central service", "version": "1"}})


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def _device_header(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.headers.get("x-lieta-device", ""))
    except ValueError:
        raise _Refused(400, "no_device", "The request does not say which laptop sent it.") from None


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer ") or len(header) > 200:
        raise _Refused(401, "token_invalid", "Sign in to the central service first.")
    return header[7:].strip()


def create_app(engine: Engine, *, clock: HybridLogicalClock | None = None) -> Starlette:
    clock = clock or HybridLogicalClock()
    counters: Counter[str] = Counter()

    def event(name: str, **values: Any) -> None:
        counters[name] += 1
        log.info(json.dumps({"event": name, **values}, default=str))

    async def body_of(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and int(declared) > MAX_BODY:
            raise _Refused(413, "too_large", "The request is larger than the service accepts; send smaller batches.")
        body = await request.body()
        if len(body) > MAX_BODY:
            raise _Refused(413, "too_large", "The request is larger than the service accepts; send smaller batches.")
        return body

    def signed_in(conn: Any, request: Request) -> tuple[uuid.UUID, Any]:
        device_id = _device_header(request)
        return device_id, auth.authenticate(conn, _bearer(request), device_id)

    def push_sync(request: Request, payload: bytes) -> bytes:
        batch = protocol.decode(payload, PushBatch)
        with engine.begin() as conn:
            device_id, user = signed_in(conn, request)
            if batch.device_id != device_id:
                raise _Refused(403, "foreign_device", "A laptop can only send its own changes.")
            reply = apply_push(conn, batch, clock)
        results = Counter(f"ops_{r.result}" for r in reply.results)
        counters.update(results)
        event("push", device=str(device_id), user=str(user.id), ops=len(batch.changes), last_seq=reply.last_applied_seq,
              **results)
        return protocol.encode(reply)

    def pull_sync(request: Request, payload: bytes) -> bytes:
        wanted = protocol.decode(payload, PullRequest)
        with engine.begin() as conn:
            device_id, _user = signed_in(conn, request)
            if wanted.device_id != device_id:
                raise _Refused(403, "foreign_device", "A laptop can only pull its own changes.")
            if wanted.low_blocks:
                lease_blocks(conn, clock, device_id, wanted.low_blocks)
        with engine.connect() as conn:
            page = pull(conn, wanted, clock)
        event("pull", device=str(device_id), changes=len(page.changes), snapshot=wanted.snapshot)
        return protocol.encode(page)

    def enrol_sync(request: Request, payload: bytes) -> dict[str, Any]:
        data = _json(payload)
        with engine.begin() as conn:
            done = auth.enrol(conn, clock, code=str(data["code"]), device_id=uuid.UUID(str(data["device_id"])),
                              name=str(data.get("name", "")), public_keys=str(data["public_keys"]))
        event("enrol", device=str(done.device_id), parishes=len(done.parish_ids), municipal=done.municipal)
        return {"device_id": str(done.device_id), "parish_ids": done.parish_ids, "municipal": done.municipal,
                "epoch": done.epoch, "service_keys": done.service_keys, "device_certificate": done.device_certificate,
                "protocol": protocol.PROTOCOL_VERSION}

    def sign_in_sync(request: Request, payload: bytes) -> dict[str, Any]:
        data = _json(payload)
        try:
            signature = base64.b64decode(str(data["signature"]), validate=True)
        except (binascii.Error, ValueError):
            raise _Refused(400, "corrupt_payload", "The sign-in request is malformed.") from None
        with engine.begin() as conn:
            done = auth.sign_in(conn, device_id=uuid.UUID(str(data["device_id"])), login=str(data["login"]),
                                password=str(data["password"]), signature=signature)
        event("sign_in", device=str(data["device_id"]), user=str(done.user_id))
        return {"token": done.token, "user_id": str(done.user_id), "display_name": done.display_name,
                "roles": done.roles, "expires_at": done.expires_at.isoformat(),
                "device_certificate": done.device_certificate,
                "first_on_device": done.first_on_device}

    async def handle(request: Request, work: Callable[[Request, bytes], Any]) -> Response:
        try:
            body = await body_of(request)
            result = await run_in_threadpool(work, request, body)
            if isinstance(result, bytes):
                return Response(result, media_type=MEDIA_TYPE)
            return JSONResponse(result)
        except _Refused as refused:
            counters[f"refused_{refused.code}"] += 1
            return _error(refused.status, refused.code, refused.message)
        except (CorruptPayload, UnsupportedProtocol) as error:
            counters[f"refused_{error.code}"] += 1
            return _error(400, error.code, error.english())
        except UpgradeRequired as error:
            counters["refused_upgrade_required"] += 1
            return JSONResponse({"error": error.code, "message": error.english(),
                                 "minimum": error.params.get("minimum")}, status_code=426)
        except (auth.TokenInvalid, auth.TokenExpired, auth.SignInRefused) as error:
            counters[f"refused_{error.code}"] += 1
            return _error(401, error.code, error.english())
        except auth.EnrolmentRefused as error:
            return _error(403, error.code, error.english())
        except UnknownDevice:
            counters["refused_unknown_device"] += 1
            return _error(403, "unknown_device", "This laptop is not enrolled with the central service.")
        except ClonedDevice:
            counters["refused_device_cloned"] += 1
            return _error(409, "device_cloned", "This store is a copy of another laptop's store; enrol this laptop "
                                                "again.")
        except RevokedDevice:
            counters["refused_revoked_device"] += 1
            return _error(410, "revoked_device", "This laptop was revoked; its local store must be erased.")
        except (KeyError, ValueError, TypeError):  # a JSON request missing a field or with a malformed one
            return _error(400, "bad_request", "The request is missing a field or has a malformed one.")

    async def push_endpoint(request: Request) -> Response:
        """
        summary: Send a laptop's changes (a PushBatch protocol message); returns a PushReply.
        responses:
          200: {description: per-change results, in device-sequence order}
          401: {description: sign in again (token_invalid / token_expired)}
          410: {description: the laptop was revoked and must erase its store}
        """
        return await handle(request, push_sync)

    async def pull_endpoint(request: Request) -> Response:
        """
        summary: Fetch the next page of changes, or of a snapshot, for this laptop's scope (PullRequest → PullPage).
        responses:
          200: {description: a page; commit it together with its cursor}
          426: {description: this laptop must install a newer Lieta before it pulls (its pushes are still accepted)}
        """
        return await handle(request, pull_sync)

    async def enrol_endpoint(request: Request) -> Response:
        """
        summary: Enrol a laptop with a one-time code (JSON code, device_id, name, public_keys).
        responses:
          200: {description: the laptop's scope, the server epoch and the service's bundle keys}
          403: {description: the code is unknown, used or expired}
        """
        return await handle(request, enrol_sync)

    async def sign_in_endpoint(request: Request) -> Response:
        """
        summary: Sign a user in on an enrolled laptop (JSON device_id, login, password, signature by the laptop key).
        responses:
          200: {description: a token for this user on this laptop, valid for a working day}
          401: {description: wrong user name or password}
        """
        return await handle(request, sign_in_sync)

    def verify_sync(_request: Request, payload: bytes) -> dict[str, Any]:
        token = str(_json(payload)["token"])[:4000]
        try:
            with engine.connect() as conn:
                verdict = verify_document(conn, token)
        except NotGenuine:
            verdict = {"genuine": False, "reason": "not_genuine"}
        event("verify", genuine=verdict["genuine"], record=verdict.get("record"))  # no document content logged
        return verdict

    async def verify_endpoint(request: Request) -> Response:
        """
        summary: Check a document's verification token (JSON token, the text of its QR code); no sign-in needed.
        responses:
          200: {description: genuine or not; for a genuine one its signed facts and whether the record still matches}
        """
        return await handle(request, verify_sync)

    def state() -> Any:
        with engine.connect() as conn:
            return conn.execute(select(server_state)).one()

    async def health(_request: Request) -> Response:
        """
        summary: Liveness and the service's epoch, version and protocol (no personal data).
        responses:
          200: {description: ok}
        """
        current = await run_in_threadpool(state)
        return JSONResponse({"status": "ok", "epoch": current.epoch, "version": current.version,
                             "protocol": protocol.PROTOCOL_VERSION, "min_pull_schema": current.min_pull_schema})

    async def metrics(_request: Request) -> Response:
        """
        summary: Prometheus text metrics (counts of events and refusals).
        responses:
          200: {description: metrics}
        """
        current = await run_in_threadpool(state)
        lines = [f"lieta_server_version {current.version}"]
        lines += [f'lieta_sync_events_total{{event="{name}"}} {value}' for name, value in sorted(counters.items())]
        return PlainTextResponse("\n".join(lines) + "\n")

    async def openapi(request: Request) -> Response:
        return JSONResponse(_schemas.get_schema(routes=request.app.routes))

    return Starlette(routes=[
        Route("/v1/enrol", enrol_endpoint, methods=["POST"]),
        Route("/v1/sign-in", sign_in_endpoint, methods=["POST"]),
        Route("/v1/push", push_endpoint, methods=["POST"]),
        Route("/v1/pull", pull_endpoint, methods=["POST"]),
        Route("/v1/verify", verify_endpoint, methods=["POST"]),
        Route("/health", health),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi, include_in_schema=False),
    ])


def _json(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _Refused(400, "corrupt_payload", "The request is not valid JSON.") from None
    if not isinstance(data, dict):
        raise _Refused(400, "corrupt_payload", "The request is not a JSON object.")
    return data
