"""Argon2id costs: calibrated per device, never below 19 MiB / 2 passes, recorded in each slot."""

from __future__ import annotations

import json

import pytest

from storage import keys
from storage.errors import WrongPassphrase
from storage.keys import MIN_MEMORY_KIB, MIN_TIME_COST, DataKey, KdfParams, KeySlots, calibrate_kdf
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE

FLOOR_KIB = 19 * 1024


class FakeClock:
    """``time`` for the calibration: the probe takes ``elapsed`` seconds (a slow or a fast laptop)."""

    def __init__(self, elapsed: float) -> None:
        self._ticks = iter([100.0, 100.0 + elapsed])

    def perf_counter(self) -> float:
        return next(self._ticks)


@pytest.fixture
def no_profile(monkeypatch):
    monkeypatch.delenv("LIETA_KDF_PROFILE", raising=False)
    probes = []
    monkeypatch.setattr(KdfParams, "derive", lambda self, passphrase: probes.append(self) or b"\0" * 32)
    return probes


def test_floor_constants_are_the_documented_minimum():
    assert MIN_MEMORY_KIB == FLOOR_KIB and MIN_TIME_COST == 2


@pytest.mark.parametrize("elapsed", [60.0, 5.0, 0.6, 0.5, 0.25, 0.05, 0.001, 0.0, -1.0])
def test_calibration_never_goes_below_the_floor(no_profile, monkeypatch, elapsed):
    monkeypatch.setattr(keys, "time", FakeClock(elapsed))
    params = calibrate_kdf()
    assert params.memory_kib >= FLOOR_KIB and params.time_cost >= 2
    assert len(no_profile) == 1  # the probe really ran once


def test_slow_laptop_spends_less_memory_but_keeps_the_floor(no_profile, monkeypatch):
    monkeypatch.setattr(keys, "time", FakeClock(2.0))  # the 64 MiB probe took 2 s: a very old machine
    params = calibrate_kdf()
    assert (params.time_cost, params.memory_kib) == (2, FLOOR_KIB)
    monkeypatch.setattr(keys, "time", FakeClock(0.8))
    params = calibrate_kdf()
    assert params.time_cost == 2 and FLOOR_KIB <= params.memory_kib < 64 * 1024


def test_fast_laptop_gets_a_stronger_cost_with_a_ceiling(no_profile, monkeypatch):
    monkeypatch.setattr(keys, "time", FakeClock(0.05))  # ten times faster than the target
    params = calibrate_kdf()
    assert params.memory_kib > 64 * 1024 or params.time_cost > 2
    assert params.memory_kib <= keys.MAX_MEMORY_KIB and params.time_cost <= 12
    monkeypatch.setattr(keys, "time", FakeClock(1e-6))
    extreme = calibrate_kdf()
    assert extreme.memory_kib <= keys.MAX_MEMORY_KIB and 2 <= extreme.time_cost <= 12


def test_minimum_profile_takes_exactly_the_floor(monkeypatch):
    monkeypatch.setenv("LIETA_KDF_PROFILE", "minimum")
    monkeypatch.setattr(keys, "time", None)  # no probe at all
    params = calibrate_kdf()
    assert (params.time_cost, params.memory_kib) == (2, FLOOR_KIB)


def test_real_calibration_on_this_machine_respects_the_floor(monkeypatch):
    monkeypatch.delenv("LIETA_KDF_PROFILE", raising=False)
    params = calibrate_kdf(target_seconds=0.05)
    assert params.memory_kib >= FLOOR_KIB and params.time_cost >= 2


@pytest.mark.parametrize("time_cost, memory_kib", [(1, FLOOR_KIB), (2, FLOOR_KIB - 1), (0, 0), (1, 1 << 20)])
def test_parameters_below_the_floor_are_refused(time_cost, memory_kib):
    with pytest.raises(ValueError, match="floor"):
        KdfParams(time_cost, memory_kib)


def test_each_slot_records_its_parameters_and_its_own_salt(store, data_dir):
    stronger = KdfParams(3, FLOOR_KIB + 1024)
    store.add_key_slot("baiba", "Baibas-parole-77", kdf=stronger)
    store.lock()
    slots = json.loads(store.paths.key_slots.read_bytes())["passphrase_slots"]
    recorded = {login: {k: slots[login]["kdf"][k] for k in ("alg", "t", "m", "p")} for login in slots}
    assert recorded == {LOGIN: {"alg": "argon2id", "t": 2, "m": FLOOR_KIB, "p": 1},
                        "baiba": {"alg": "argon2id", "t": 3, "m": FLOOR_KIB + 1024, "p": 1}}
    assert slots[LOGIN]["kdf"]["salt"] != slots["baiba"]["kdf"]["salt"]
    assert KdfParams.from_json(slots["baiba"]["kdf"]).salt == stronger.salt and len(stronger.salt) == 16
    Store.open(data_dir, "baiba", "Baibas-parole-77").lock()  # the recorded parameters are the ones used


def test_recorded_parameters_are_authenticated(store, data_dir):
    """Changing the recorded cost (even to a valid one) breaks the slot instead of deriving another key."""
    doc = json.loads(store.paths.key_slots.read_bytes())
    doc["passphrase_slots"][LOGIN]["kdf"]["t"] = 3
    store.paths.key_slots.write_text(json.dumps(doc))
    store.lock()
    with pytest.raises(WrongPassphrase):
        Store.open(data_dir, LOGIN, PASSPHRASE)


def test_same_passphrase_and_salt_derive_the_same_key_and_others_do_not():
    params = KdfParams(2, FLOOR_KIB)
    key = params.derive(PASSPHRASE)
    assert len(key) == 32 and key == params.derive(PASSPHRASE)
    assert key != params.derive(PASSPHRASE + "!") and key != params.with_new_salt().derive(PASSPHRASE)


def test_wrapped_key_round_trips_through_the_slots_file(tmp_path):
    data_key = DataKey.generate()
    slots = KeySlots(store_id="s-1")
    slots.add_user(LOGIN, PASSPHRASE, data_key, KdfParams(2, FLOOR_KIB))
    slots.save(tmp_path / "keyslots.json")
    loaded = KeySlots.load(tmp_path / "keyslots.json")
    assert loaded.unwrap_user(LOGIN, PASSPHRASE).raw() == data_key.raw()
    assert repr(data_key) == "DataKey(<hidden>)" and data_key.raw().hex() not in repr(loaded)
