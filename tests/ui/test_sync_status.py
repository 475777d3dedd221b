"""Sync in the desktop app against a real central service on this computer (uvicorn on loopback, SQLite):
"Sync now" sends what waits, the status bar follows, and a stopped service loses nothing."""

from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import select

from app.i18n import _, user_message
from sync import local
from sync.client import ServiceUnreachable, enrol
from sync.server.database import open_engine
from sync.server.schema import metadata, records
from tests.sync.conftest import PASSWORD, Central
from tests.sync.test_sync_engine import add_client
from ui.sync_status import SyncController


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveService:
    """The central service served over HTTP on 127.0.0.1, as `lieta-server serve` runs it."""

    def __init__(self, tmp_path):
        engine = open_engine(f"sqlite:///{tmp_path}/central.db")
        metadata.create_all(engine)
        self.central = Central(engine, tmp_path)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None

    def start(self):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(self.central.app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _attempt in range(500):
            if self.server.started:
                return
            self.thread.join(0.01)
        raise RuntimeError("the service did not start")

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)

    def has(self, row_id) -> bool:
        with self.central.engine.connect() as conn:
            return conn.execute(select(records.c.row_id).where(records.c.row_id == row_id)).first() is not None


@pytest.fixture
def service(tmp_path):
    live = LiveService(tmp_path)
    live.start()
    yield live
    if live.server is not None and not live.server.should_exit:
        live.stop()
    live.central.http.close()
    live.central.engine.dispose()


@pytest.fixture
def laptop(service, tmp_path):
    store = enrol(tmp_path / "laptop", url=service.url, code=service.central.code(service.central.parish_a),
                  login="anna", password=PASSWORD, device_name="ergli-1")
    yield store
    if not store.locked:
        store.lock()


@pytest.fixture
def controller(qtbot, laptop):
    sync = SyncController(laptop, password=lambda: PASSWORD, interval=3600)
    states = []
    sync.sig_state.connect(lambda text, online: states.append((text, online)))
    sync.states = states
    yield sync
    sync.stop()


def sent(message: str) -> int | None:
    """How many changes a "Synchronised: 3 sent, 5 received" message reports sent (None: another message)."""
    for count in range(100):
        prefix = _("Synchronised: {sent} sent, {received} received").split("{received}")[0].format(sent=count)
        if message.startswith(prefix):
            return count
    return None


def synced(states) -> bool:
    return bool(states) and states[-1][0].startswith(_("Synchronised {when}").split("{")[0]) and states[-1][1]


def test_sync_now_sends_the_waiting_client_and_the_status_bar_says_synchronised(qtbot, controller, laptop, service):
    controller.start()
    qtbot.waitUntil(lambda: synced(controller.states), timeout=20000)  # the first round reads the scope
    client_id, _person = add_client(laptop, "Bērziņš", service.central.parish_a)
    assert local.status(laptop).pending == 3
    busy = []
    controller.sig_busy.connect(busy.append)
    with qtbot.waitSignal(controller.sig_result, timeout=20000) as result:
        controller.sync_now()
    assert sent(result.args[0]) == 3
    assert busy == [True, False] and _("Syncing…") in [text for text, _online in controller.states]
    assert local.status(laptop).pending == 0 and service.has(client_id)
    assert synced(controller.states) and controller.online


def test_with_the_service_stopped_the_state_says_offline_and_the_work_waits(qtbot, controller, laptop, service):
    controller.start()
    qtbot.waitUntil(lambda: synced(controller.states), timeout=20000)
    service.stop()
    client_id, _person = add_client(laptop, "Kalns", service.central.parish_a)
    with qtbot.waitSignal(controller.sig_result, timeout=20000) as result:
        controller.sync_now()
    assert result.args == [user_message(ServiceUnreachable())]
    text, online = controller.states[-1]
    assert not online and text.startswith(_("Offline · last sync {when}").split("{")[0])
    assert _("{count} changes to send").format(count=3) in text
    assert local.status(laptop).pending == 3 and not service.has(client_id)  # kept on the laptop
    service.start()  # the office network is back
    with qtbot.waitSignal(controller.sig_result, timeout=20000) as result:
        controller.sync_now()
    assert sent(result.args[0]) == 3
    assert service.has(client_id) and local.status(laptop).pending == 0 and controller.online


def test_a_store_never_enrolled_explains_there_is_nothing_to_sync_with(qtbot, store):
    controller = SyncController(store)
    states = []
    controller.sig_state.connect(lambda text, online: states.append((text, online)))
    try:
        controller.start()
        qtbot.waitUntil(lambda: bool(states), timeout=10000)
        assert states[-1] == (_("Not connected to a central service"), False)
        with qtbot.waitSignal(controller.sig_result, timeout=5000) as result:
            controller.sync_now()
        assert result.args == [user_message(local.NotEnrolled())]
        assert controller.background is None  # no thread, no network
    finally:
        controller.stop()


def test_sync_now_pressed_while_the_engine_is_still_being_built_reports_the_first_round(qtbot, laptop):
    controller = SyncController(laptop, password=lambda: PASSWORD, interval=3600)
    try:
        with qtbot.waitSignal(controller.sig_result, timeout=20000) as result:
            controller.start()
            controller.sync_now()
        assert sent(result.args[0]) == 0
    finally:
        controller.stop()
