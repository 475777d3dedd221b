"""An office without a connection syncs by USB stick: sealed bundles to the main office and back, applied
exactly once, refused whole when tampered, truncated, foreign or from a withdrawn laptop."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from storage.models import Person
from sync import bundle, local, usb
from sync.server.auth import revoke
from sync.server.bundles import RevokedBundle, import_bundle
from sync.server.schema import change_log
from tests.sync.test_sync_engine import add_client, surname_of


def feed_size(central):
    with central.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(change_log)).scalar_one()


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_a_round_trip_by_stick_and_the_reply_brings_the_other_laptops_work(central, stick):
    office = central.laptop("ergli-1", "anna", central.parish_a)  # enrolled at the main office, then offline
    other = central.laptop("ergli-2", "ilze", central.parish_a)
    _client, theirs = add_client(other, "Ābele", central.parish_a)
    other.sync()
    _client, mine = add_client(office, "Ķirsis", central.parish_a, journal=2)
    written = usb.export_bundle(office.store, stick)
    assert written.changes == 5 and written.path.suffix == ".lieta-bundle"
    assert b"\xc4\xb6irsis" not in written.path.read_bytes()  # "Ķirsis": encrypted on the stick
    summary = import_bundle(central.engine, written.path, stick / "reply.lieta-bundle")
    assert summary["applied"] == 5 and summary["reply_changes"] >= 3
    back = usb.import_reply(office.store, stick / "reply.lieta-bundle")
    assert back.pulled >= 3 and not back.stale_pages
    assert surname_of(office, theirs) == "Ābele" and local.status(office.store).pending == 0
    other.sync()
    assert surname_of(other, mine) == "Ķirsis"


def test_a_bundle_imported_twice_and_also_sent_by_network_applies_once(central, stick):
    office = central.laptop("ergli-1", "anna", central.parish_a)
    add_client(office, "Ozols", central.parish_a)
    written = usb.export_bundle(office.store, stick / "first.lieta-bundle")
    first = import_bundle(central.engine, written.path, stick / "reply-1.lieta-bundle")
    size = feed_size(central)
    again = import_bundle(central.engine, written.path, stick / "reply-2.lieta-bundle")
    assert first["applied"] == 3 and again.get("applied", 0) == 0 and again["duplicate"] == 3
    office.sync()  # the same changes by network too
    assert feed_size(central) == size
    usb.import_reply(office.store, stick / "reply-1.lieta-bundle")
    with office.store.session() as session:
        before = session.scalar(select(func.count()).select_from(Person))
    stale = usb.import_reply(office.store, stick / "reply-2.lieta-bundle")
    assert stale.stale_pages and stale.pulled == 0 and local.status(office.store).pending == 0
    with office.store.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == before


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_damaged_bundle_is_refused_whole(central, stick, damage):
    office = central.laptop("ergli-1", "anna", central.parish_a)
    add_client(office, "Liepa", central.parish_a)
    written = usb.export_bundle(office.store, stick / "b.lieta-bundle")
    data = bytearray(written.path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x20
    else:
        data = data[: len(data) - 100]
    written.path.write_bytes(bytes(data))
    size = feed_size(central)
    with pytest.raises(bundle.BundleError) as refused:
        import_bundle(central.engine, written.path, stick / "reply.lieta-bundle")
    assert "nothing from it was applied" in refused.value.english()
    assert feed_size(central) == size and not (stick / "reply.lieta-bundle").exists()


def test_a_bundle_from_a_laptop_of_another_service_or_a_withdrawn_one_is_refused(central, stick, tmp_path):
    from tests.sync.conftest import Central

    office = central.laptop("ergli-1", "anna", central.parish_a)
    add_client(office, "Vītols", central.parish_a)
    written = usb.export_bundle(office.store, stick / "ours.lieta-bundle")
    elsewhere = Central(_fresh_engine(tmp_path), tmp_path / "elsewhere")  # another municipality's service
    with pytest.raises(bundle.ForeignBundle):
        import_bundle(elsewhere.engine, written.path, stick / "reply.lieta-bundle")
    with central.engine.begin() as conn:
        revoke(conn, office.store.device_id)
    size = feed_size(central)
    with pytest.raises(RevokedBundle):
        import_bundle(central.engine, written.path, stick / "reply.lieta-bundle")
    assert feed_size(central) == size and written.path.exists()  # kept for the administrator


def _fresh_engine(tmp_path):
    from sync.server.database import open_engine
    from sync.server.schema import metadata

    engine = open_engine(f"sqlite:///{tmp_path}/elsewhere.db")
    metadata.create_all(engine)
    return engine


def test_the_reply_opens_only_on_its_own_laptop(central, stick):
    office = central.laptop("ergli-1", "anna", central.parish_a)
    neighbour = central.laptop("ergli-2", "ilze", central.parish_a)
    written = usb.export_bundle(office.store, stick / "b.lieta-bundle")
    import_bundle(central.engine, written.path, stick / "reply.lieta-bundle")
    with pytest.raises(bundle.ForeignBundle):
        usb.import_reply(neighbour.store, stick / "reply.lieta-bundle")


def test_lieta_server_bundle_import_on_the_command_line(central, stick, tmp_path):
    if central.engine.dialect.name != "sqlite":
        pytest.skip("the command line is exercised once, on the embedded database")
    office = central.laptop("ergli-1", "anna", central.parish_a)
    add_client(office, "Bērzs", central.parish_a)
    written = usb.export_bundle(office.store, stick)
    result = subprocess.run([sys.executable, "-m", "sync.server_cli", "--database-url", str(central.engine.url),
                             "bundle", "import", str(written.path), "--reply", str(stick / "reply.lieta-bundle")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"applied": 3' in result.stdout and "Bērzs" not in result.stdout
    assert usb.import_reply(office.store, stick / "reply.lieta-bundle").changes == 3
