"""The sync protocol: what the laptop writes, the server reads back exactly; anything damaged is refused whole."""

import datetime as dt
import uuid

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import people
from app.context import Context
from app.people import PersonInput
from storage.models import OutboxEntry
from sync import protocol
from sync.protocol import (Change, CorruptPayload, OpResult, PullPage, PullRequest, PushBatch, PushReply,
                           UnsupportedProtocol, UpgradeRequired, decode, encode)

DEVICE = uuid.UUID("01a20826-56ad-7020-b9e4-bdd6f491fddc")
HLC = "001795401234567.000003"


def change(seq: int, **overrides) -> Change:
    values = dict(op_id=uuid.uuid4(), tx_id=uuid.uuid4(), device_id=DEVICE, device_seq=seq, user_id=uuid.uuid4(),
                  entity="persons", row_id=uuid.uuid4(), op="update", base_version=7,
                  fields={"surname": "Bērziņš", "address": "„Lejas”, Ērgļu pag."}, hlc=HLC, schema_version=4)
    values.update(overrides)
    return Change(**values)


def batch(n: int = 3) -> PushBatch:
    return PushBatch(device_id=DEVICE, epoch="e1", schema_version=4, changes=[change(i + 1) for i in range(n)])


def test_the_outbox_of_a_real_store_round_trips_through_the_wire(store):
    ctx = Context(store, today=lambda: dt.date(2026, 11, 23))
    people.create_person(ctx, PersonInput("Līga", "Ozoliņa", personal_code="050385-12347", address="Ērgļi"))
    with ctx.read() as session:
        entries = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
        changes = [protocol.change_from_outbox(e) for e in entries]
    sent = PushBatch(device_id=store.device_id, epoch=None, schema_version=changes[0].schema_version, changes=changes)
    received = decode(encode(sent), PushBatch)
    assert received == sent
    [person] = [c for c in received.changes if c.entity == "persons"]
    assert (person.op, person.fields["surname"]) == ("insert", "Ozoliņa")


@pytest.mark.parametrize("message", [
    batch(),
    PushReply(epoch="e1", last_applied_seq=3, server_hlc=HLC, results=[
        OpResult(op_id=uuid.uuid4(), device_seq=1, result="applied", server_version=11),
        OpResult(op_id=uuid.uuid4(), device_seq=2, result="rejected", reason="final_record")]),
    PullRequest(device_id=DEVICE, epoch="e1", after_version=10, schema_version=4, limit=200),
    PullPage(epoch="e1", next_version=12, has_more=True, server_hlc=HLC,
             changes=[change(1, server_version=11), change(2, server_version=12)]),
])
def test_every_message_round_trips(message):
    assert decode(encode(message), type(message)) == message


def test_the_wire_is_compressed():
    big = PushBatch(device_id=DEVICE, epoch="e1", schema_version=4, changes=[change(i + 1) for i in range(500)])
    plain = len(str(big).encode())
    assert len(encode(big)) < plain / 3


@pytest.mark.parametrize("damage", [
    lambda p: p[: len(p) // 2],                                   # cut short
    lambda p: p[:-1],                                             # last byte lost
    lambda p: p[:40] + bytes([p[40] ^ 0x55]) + p[41:],            # one flipped byte in the frame
    lambda p: b"PK\x03\x04" + p[4:],                              # not our data at all
    lambda p: p.replace(b"push\n", b"pull\n", 1),                 # a push relabelled as a pull
    lambda p: b"",
])
def test_a_damaged_payload_is_refused_with_a_clear_message(damage):
    with pytest.raises(CorruptPayload) as caught:
        decode(damage(encode(batch())), PushBatch)
    assert "nothing from it was applied" in caught.value.english()


def _envelope(kind: str, body: bytes) -> bytes:
    frame = zstandard.ZstdCompressor(write_checksum=True).compress(body)
    return protocol.MAGIC + bytes([protocol.PROTOCOL_VERSION]) + kind.encode() + b"\n" + frame


@pytest.mark.parametrize("body", [
    b'{"device_id": "not-a-uuid", "epoch": null, "schema_version": 4, "changes": []}',
    b'{"device_id": "01a20826-56ad-7020-b9e4-bdd6f491fddc", "epoch": null, "schema_version": 4}',
    b'[1, 2, 3]',
    b'{"device_id": "01a20826-56ad-7020-b9e4-bdd6f491fddc", "epoch": null, "schema_version": true, "changes": []}',
    "{\"a\": \"\ud800\"}".encode("utf-8", "surrogatepass"),
])
def test_well_compressed_but_invalid_content_is_refused(body):
    with pytest.raises(CorruptPayload):
        decode(_envelope("push", body), PushBatch)


def test_changes_out_of_sequence_or_from_another_device_are_refused():
    shuffled = PushBatch(device_id=DEVICE, epoch=None, schema_version=4, changes=[change(2), change(1)])
    with pytest.raises(CorruptPayload):
        decode(encode(shuffled))
    foreign = PushBatch(device_id=DEVICE, epoch=None, schema_version=4,
                        changes=[change(1, device_id=uuid.uuid4())])
    with pytest.raises(CorruptPayload):
        decode(encode(foreign))


def test_a_page_must_be_in_server_version_order_with_its_cursor_after_it():
    page = PullPage(epoch="e1", next_version=5, has_more=False, server_hlc=HLC,
                    changes=[change(1, server_version=9)])
    with pytest.raises(CorruptPayload):
        decode(encode(page))


def test_a_decompression_bomb_is_refused_without_inflating_it():
    bomb = _envelope("push", b'{"x":"' + b"a" * (protocol.MAX_DECODED_BYTES + 10) + b'"}')
    assert len(bomb) < 100_000
    with pytest.raises(CorruptPayload):
        decode(bomb)


def test_a_newer_protocol_asks_for_an_update():
    payload = bytearray(encode(batch()))
    payload[len(protocol.MAGIC)] = protocol.PROTOCOL_VERSION + 1
    with pytest.raises(UnsupportedProtocol) as caught:
        decode(bytes(payload))
    assert "Update Lieta" in caught.value.english()


def test_a_client_below_the_minimum_schema_may_push_but_is_told_to_upgrade_before_pulling():
    protocol.check_schema(4, 2)
    with pytest.raises(UpgradeRequired) as caught:
        protocol.check_schema(1, 4)
    assert "unsent work was kept" in caught.value.english()


json_values = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                           max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(min_size=1), json_values, max_size=6), st.integers(1, 10**9),
       st.sampled_from(protocol.OPS), st.none() | st.integers(0, 10**9))
def test_any_change_round_trips(fields, seq, op, base):
    sent = PushBatch(device_id=DEVICE, epoch=None, schema_version=4,
                     changes=[change(seq, fields=fields, op=op, base_version=base)])
    assert decode(encode(sent)) == sent


def test_the_refusal_reads_wholly_in_latvian():
    from app import i18n

    with pytest.raises(CorruptPayload) as caught:
        decode(encode(batch())[:-3])
    message = i18n.user_message(caught.value, "lv")
    assert "saspiestie dati ir bojāti vai nepilnīgi" in message and "netika piemērots" in message
