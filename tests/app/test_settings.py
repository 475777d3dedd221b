"""The laptop's settings file: defaults, a round trip, a damaged file set aside, bad values falling back, and the
central service's address kept once, in the store's sync state."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import insert

from app import laptop
from app import settings as s
from app.context import Context
from app.errors import PermissionDenied, ValidationError
from storage.models import SyncState, utcnow
from storage.paths import StorePaths


def test_a_new_laptop_has_the_defaults_and_no_settings_file(data_dir):
    loaded = s.load_settings(data_dir)
    assert dict(loaded) == {"language": "lv", "autolock_minutes": 5, "printer": "", "large_print": False}
    assert loaded.language == "lv" and loaded.autolock_minutes == 5
    assert not s.settings_file(data_dir).exists()


def test_the_settings_file_is_the_one_beside_the_store_in_the_data_folder(data_dir):
    assert s.settings_file() == StorePaths(data_dir).settings  # LIETA_DATA_DIR points at data_dir in tests


def test_saved_settings_come_back_as_saved(data_dir):
    changed = s.load_settings(data_dir).replace(language="en", autolock_minutes=15, printer="Birojs HP",
                                                large_print=True)
    path = s.save_settings(changed, data_dir)
    assert path == s.settings_file(data_dir)
    assert dict(s.load_settings(data_dir)) == {"language": "en", "autolock_minutes": 15, "printer": "Birojs HP",
                                               "large_print": True}
    assert not list(path.parent.glob(".settings.json.*"))  # the atomic write left no temporary file


def test_a_missing_key_takes_its_default(data_dir):
    s.settings_file(data_dir).parent.mkdir(parents=True)
    s.settings_file(data_dir).write_text(json.dumps({"language": "en"}))
    loaded = s.load_settings(data_dir)
    assert loaded.language == "en" and loaded.autolock_minutes == 5 and loaded.large_print is False


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00", b"[1, 2]"])
def test_a_damaged_file_is_set_aside_and_the_defaults_are_used(data_dir, raw):
    path = s.settings_file(data_dir)
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    assert s.load_settings(data_dir) == s.defaults()
    assert not path.exists()
    aside = list(path.parent.glob("settings.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == raw  # kept for whoever wants to look
    s.save_settings(s.defaults().replace(language="en"), data_dir)  # and saving works again
    assert s.load_settings(data_dir).language == "en"


@pytest.mark.parametrize("key, bad", [("autolock_minutes", 0), ("autolock_minutes", 500), ("autolock_minutes", "5"),
                                      ("language", "de"), ("large_print", "yes"), ("printer", 42)])
def test_a_value_out_of_range_falls_back_to_its_default_and_the_rest_is_kept(data_dir, key, bad):
    path = s.settings_file(data_dir)
    path.parent.mkdir(parents=True)
    stored = {"language": "en", "autolock_minutes": 30, "printer": "Birojs", "large_print": True}
    path.write_text(json.dumps({**stored, key: bad}))
    loaded = s.load_settings(data_dir)
    assert loaded[key] == s.DECLARED[key].default
    assert all(loaded[other] == value for other, value in stored.items() if other != key)
    assert path.exists()  # a bad value is not a damaged file


def test_an_unknown_key_is_ignored_but_survives_a_save(data_dir):
    path = s.settings_file(data_dir)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"language": "en", "theme": "dark"}))
    loaded = s.load_settings(data_dir)
    assert "theme" not in loaded and not hasattr(loaded, "theme")
    s.save_settings(loaded.replace(autolock_minutes=10), data_dir)
    assert json.loads(path.read_text()) == {"language": "en", "autolock_minutes": 10, "printer": "",
                                            "large_print": False, "theme": "dark"}


def test_changing_a_setting_to_a_value_it_does_not_accept_is_refused():
    with pytest.raises(ValidationError) as refused:
        s.defaults().replace(autolock_minutes=121)
    assert refused.value.field == "autolock_minutes"
    with pytest.raises(KeyError):
        s.defaults().replace(colour="blue")


@pytest.mark.parametrize("url, expected", [
    ("https://lieta.novads.lv", "https://lieta.novads.lv"),
    (" https://10.0.0.5:8443/lieta/ ", "https://10.0.0.5:8443/lieta"),
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
])
def test_a_central_service_address_is_https_or_local(url, expected):
    assert s.valid_server_url(url) == expected


@pytest.mark.parametrize("url", ["", "lieta.novads.lv", "http://lieta.novads.lv", "ftp://lieta.novads.lv",
                                 "https://", "https://user:pw@lieta.novads.lv", "https://lieta novads.lv",
                                 "https://lieta.novads.lv:port"])
def test_an_address_that_is_not_a_service_is_refused(url):
    with pytest.raises(ValidationError) as refused:
        s.valid_server_url(url)
    assert refused.value.field == "server_url"


def _enrol(store, url="https://old.novads.lv"):
    with store.engine.begin() as conn:
        conn.execute(insert(SyncState.__table__).values(
            singleton=1, server_url=url, server_certificate="PEM", server_keys="keys", device_keys="device",
            parish_ids=[], municipal=False, epoch="e1", pulled_version=0, enrolled_at=utcnow()))


def test_the_administrator_moves_the_laptop_to_the_services_new_address(store):
    ctx = Context(store)
    _enrol(store)
    assert laptop.server_address(ctx) == "https://old.novads.lv"
    assert laptop.change_server_address(ctx, "https://lieta.novads.lv/") == "https://lieta.novads.lv"
    assert laptop.server_address(ctx) == "https://lieta.novads.lv"
    assert laptop.laptop_facts(ctx).server_url == "https://lieta.novads.lv"


def test_a_standalone_laptop_has_no_address_to_change(store):
    ctx = Context(store)
    assert laptop.server_address(ctx) is None
    with pytest.raises(ValidationError):
        laptop.change_server_address(ctx, "https://lieta.novads.lv")


def test_only_an_administrator_changes_the_address(data_dir):
    from storage.store import Store
    from tests.conftest import PASSPHRASE

    worker = Store.create(data_dir, "maija", PASSPHRASE, display_name="Maija Ozola", roles=["social_worker"])
    try:
        _enrol(worker)
        with pytest.raises(PermissionDenied):
            laptop.change_server_address(Context(worker), "https://lieta.novads.lv")
        assert laptop.server_address(Context(worker)) == "https://old.novads.lv"
    finally:
        worker.lock()


def test_the_laptop_facts_an_administrator_needs(store, data_dir):
    facts = laptop.laptop_facts(Context(store))
    assert facts.data_folder == data_dir and facts.settings_file == StorePaths(data_dir).settings
    assert facts.schema_current and facts.schema_version
    assert facts.device_id == store.device_id and isinstance(facts.device_id, uuid.UUID)
    assert facts.enrolled_at is None and facts.server_url is None
    assert facts.computer_name and facts.app_version
    _enrol(store)
    assert isinstance(laptop.laptop_facts(Context(store)).enrolled_at, dt.datetime)
