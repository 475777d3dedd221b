"""The central service's HTTP application (Starlette): push, pull, health and metrics.

Bodies are protocol messages (:mod:`sync.protocol`), never form data. Database work runs in Starlette's
thread pool, one transaction per request. Errors are JSON with a stable code: 400 damaged or unknown
protocol, 403 unknown device, 410 revoked device (the laptop erases its store), 413 too large, 426 the
client must upgrade before it pulls. Logs carry counts and codes, never record content.

Authentication of users and devices (enrolment, device keys, tokens) is the next step of the sync work;
until it exists this application is only used in-process by tests and is not served (``lieta-server serve``).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from storage.ids import HybridLogicalClock
from sync import protocol
from sync.protocol import CorruptPayload, PullRequest, PushBatch, UnsupportedProtocol, UpgradeRequired
from sync.server.apply import RevokedDevice, UnknownDevice, apply_push, pull
from sync.server.schema import server_state

MEDIA_TYPE = "application/x-lieta-sync"
MAX_BODY = 32 * 1024 * 1024
log = logging.getLogger("lieta.server")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def create_app(engine: Engine, *, clock: HybridLogicalClock | None = None) -> Starlette:
    clock = clock or HybridLogicalClock()
    counters: Counter[str] = Counter()

    async def body_of(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and int(declared) > MAX_BODY:
            raise _TooLarge()
        body = await request.body()
        if len(body) > MAX_BODY:
            raise _TooLarge()
        return body

    def push_sync(payload: bytes) -> bytes:
        batch = protocol.decode(payload, PushBatch)
        with engine.begin() as conn:
            reply = apply_push(conn, batch, clock)
        counters.update(f"ops_{r.result}" for r in reply.results)
        log.info("push device=%s ops=%d last_seq=%d", batch.device_id, len(batch.changes), reply.last_applied_seq)
        return protocol.encode(reply)

    def pull_sync(payload: bytes) -> bytes:
        request = protocol.decode(payload, PullRequest)
        with engine.connect() as conn:
            page = pull(conn, request, clock)
        counters["pull_pages"] += 1
        return protocol.encode(page)

    async def handle(request: Request, work: Any) -> Response:
        try:
            body = await body_of(request)
            return Response(await run_in_threadpool(work, body), media_type=MEDIA_TYPE)
        except _TooLarge:
            return _error(413, "too_large", "The request is larger than the service accepts; send smaller batches.")
        except (CorruptPayload, UnsupportedProtocol) as error:
            counters[f"refused_{error.code}"] += 1
            return _error(400, error.code, error.english())
        except UpgradeRequired as error:
            return _error(426, error.code, error.english())
        except UnknownDevice:
            return _error(403, "unknown_device", "This laptop is not enrolled with the central service.")
        except RevokedDevice:
            return _error(410, "revoked_device", "This laptop was revoked; its local store must be erased.")

    async def push_endpoint(request: Request) -> Response:
        return await handle(request, push_sync)

    async def pull_endpoint(request: Request) -> Response:
        return await handle(request, pull_sync)

    def state() -> Any:
        with engine.connect() as conn:
            return conn.execute(select(server_state)).one()

    async def health(_request: Request) -> Response:
        current = await run_in_threadpool(state)
        return JSONResponse({"status": "ok", "epoch": current.epoch, "version": current.version,
                             "protocol": protocol.PROTOCOL_VERSION, "min_pull_schema": current.min_pull_schema})

    async def metrics(_request: Request) -> Response:
        current = await run_in_threadpool(state)
        lines = [f"lieta_server_version {current.version}"]
        lines += [f'lieta_sync_events_total{{event="{name}"}} {value}' for name, value in sorted(counters.items())]
        return PlainTextResponse("\n".join(lines) + "\n")

    return Starlette(routes=[
        Route("/v1/push", push_endpoint, methods=["POST"]),
        Route("/v1/pull", pull_endpoint, methods=["POST"]),
        Route("/health", health),
        Route("/metrics", metrics),
    ])


class _TooLarge(Exception):
    pass
