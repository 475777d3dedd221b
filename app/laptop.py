"""This laptop: the central service it syncs with, and the facts an IT administrator asks for.

The service's address lives in the store's sync state beside the certificate pinned at enrolment (one copy,
never also in the settings file); :func:`app.settings.valid_server_url` checks a new one.
"""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sqlalchemy import select, update

from app.context import Context
from app.errors import ValidationError
from app.settings import SERVER_FIELD, valid_server_url
from storage import migrate
from storage.errors import N_
from storage.models import DeviceState, SyncState


def server_address(ctx: Context) -> str | None:
    """Where this laptop syncs, or None when it is not enrolled with a central service."""
    with ctx.read() as session:
        return session.scalar(select(SyncState.server_url))


def change_server_address(ctx: Context, url: str) -> str:
    """Point an enrolled laptop at the central service's new address (an administrator's task). The pinned
    certificate stays: only the same service will be trusted at the new address."""
    ctx.require_role(N_("change the central service address"), "administrator")
    address = valid_server_url(url)
    with ctx.write() as session:
        changed = session.execute(update(SyncState.__table__).values(server_url=address)).rowcount
    if not changed:
        raise ValidationError(N_("This laptop is not enrolled with a central service: enrol it with 'lieta enrol' "
                                 "first."), field="server_url", field_msg=SERVER_FIELD)
    return address


@dataclass(frozen=True)
class LaptopFacts:
    data_folder: Path
    settings_file: Path
    schema_version: str | None
    schema_current: bool
    device_id: uuid.UUID
    computer_name: str
    enrolled_at: dt.datetime | None
    server_url: str | None
    app_version: str


def app_version() -> str:
    try:
        return metadata.version("lieta")
    except metadata.PackageNotFoundError:
        return "?"


def laptop_facts(ctx: Context) -> LaptopFacts:
    """Where the data is, which schema it has, which device this is and whom it syncs with."""
    with ctx.read() as session:
        revision = migrate.current_revision(session.connection())
        device_id = session.scalar(select(DeviceState.device_id))
        state = session.execute(select(SyncState.server_url, SyncState.enrolled_at)).first()
    root = ctx.store.paths.root
    return LaptopFacts(data_folder=root, settings_file=ctx.store.paths.settings, schema_version=revision,
                       schema_current=revision == migrate.HEAD_REVISION, device_id=device_id,
                       computer_name=socket.gethostname(), enrolled_at=state.enrolled_at if state else None,
                       server_url=state.server_url if state else None, app_version=app_version())
