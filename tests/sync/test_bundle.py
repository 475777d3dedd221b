"""USB bundles: what one side seals, only the intended other side opens, exactly; anything else is refused whole."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import stat
import struct
import subprocess
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from storage.errors import LietaError
from sync import bundle
from app.signing import InvalidKeys, KeyPair, PublicKeys
from sync.bundle import (MAGIC, BundleError, BundleNotFound, BundleWriteFailed, CorruptBundle, ForeignBundle,
                         Manifest, TamperedBundle, UnsupportedBundle, open_sealed, read_bundle, read_manifest, seal,
                         write_bundle)

DEVICE = str(uuid.UUID("01a20826-56ad-7020-b9e4-bdd6f491fddc"))
SECRET = "Bērziņš 010190-12345".encode()
PAYLOAD = b"zstd-frame:" + SECRET + b"|" + bytes(range(256))  # stands in for a compressed protocol message
WHEN = dt.datetime(2026, 11, 23, 9, 30, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def laptop() -> KeyPair:
    return KeyPair.generate()


@pytest.fixture(scope="module")
def office() -> KeyPair:
    return KeyPair.generate()


def make(laptop: KeyPair, office: KeyPair, payload: bytes = PAYLOAD, **overrides) -> bytes:
    args = dict(kind="to_office", sender=DEVICE, recipient="office", epoch="3f2a9c0d11e4b7a6", first_seq=41,
                last_seq=57, schema_version=4, sender_keys=laptop, recipient_public=office.public(), created_at=WHEN)
    args.update(overrides)
    return seal(payload, **args)


def open_at_office(data: bytes, laptop: KeyPair, office: KeyPair) -> tuple[Manifest, bytes]:
    registered = {DEVICE: laptop.public()}
    return open_sealed(data, recipient_keys=office, sender_public=registered.get, recipient="office")


def sections(data: bytes) -> dict[str, tuple[int, int]]:
    """(start, end) of every length prefix and section body, by walking the documented layout."""
    found, offset = {"magic": (0, len(MAGIC))}, len(MAGIC)
    for name in ("manifest", "ephemeral", "nonce", "ciphertext", "signature"):
        (length,) = struct.unpack_from(">I", data, offset)
        found[f"{name}_length"] = (offset, offset + 4)
        found[name] = (offset + 4, offset + 4 + length)
        offset += 4 + length
    assert offset == len(data)
    return found


def rebuild(data: bytes, **bodies: bytes) -> bytes:
    """The same bundle with some section bodies replaced (and their lengths fixed): a careful forger's edit."""
    spans, out = sections(data), [MAGIC]
    for name in ("manifest", "ephemeral", "nonce", "ciphertext", "signature"):
        body = bodies.get(name, data[slice(*spans[name])])
        out.append(struct.pack(">I", len(body)) + body)
    return b"".join(out)


# --- round trip ---------------------------------------------------------------------------------------------------


def test_the_office_gets_back_exactly_what_the_laptop_sealed(laptop, office):
    data = make(laptop, office)
    manifest, payload = open_at_office(data, laptop, office)
    assert payload == PAYLOAD
    assert manifest == Manifest(format=1, kind="to_office", sender=DEVICE, recipient="office",
                                recipient_key=office.public().key_id, epoch="3f2a9c0d11e4b7a6", first_seq=41,
                                last_seq=57, schema_version=4, created_at="2026-11-23T09:30:05Z",
                                payload_bytes=len(PAYLOAD), payload_sha256=hashlib.sha256(PAYLOAD).hexdigest())


def test_a_reply_to_one_laptop_with_no_epoch_and_an_empty_payload_round_trips(laptop, office):
    data = seal(b"", kind="to_device", sender="office", recipient=DEVICE, epoch=None, first_seq=0, last_seq=0,
                schema_version=4, sender_keys=office, recipient_public=laptop.public())
    manifest, payload = open_sealed(data, recipient_keys=laptop, sender_public=office.public(), recipient=DEVICE)
    assert payload == b""
    assert (manifest.kind, manifest.epoch, manifest.first_seq, manifest.last_seq) == ("to_device", None, 0, 0)
    assert manifest.created_at.endswith("Z")


def test_the_payload_is_encrypted_and_the_manifest_readable_without_keys(laptop, office):
    data = make(laptop, office)
    assert SECRET not in data and "Bērziņš".encode() not in data and b"010190" not in data
    assert bytes(range(256)) not in data
    manifest = read_manifest(data)
    assert (manifest.sender, manifest.first_seq, manifest.last_seq) == (DEVICE, 41, 57)
    assert json.loads(data[slice(*sections(data)["manifest"])])["kind"] == "to_office"  # plain JSON for an admin


def test_two_seals_of_the_same_payload_differ(laptop, office):
    first, second = make(laptop, office), make(laptop, office)
    assert first != second  # fresh ephemeral key and nonce each time
    assert open_at_office(first, laptop, office)[1] == open_at_office(second, laptop, office)[1] == PAYLOAD


# --- damage: every byte, every length ---------------------------------------------------------------------------


def test_every_single_byte_flip_is_refused(laptop, office):
    data = make(laptop, office)
    spans = sections(data)
    owner = {i: name for name, (start, end) in spans.items() for i in range(start, end)}
    assert len(owner) == len(data)
    seen = set()
    for position in range(len(data)):
        for mask in (0x01, 0x80, 0xFF):
            damaged = bytearray(data)
            damaged[position] ^= mask
            with pytest.raises(BundleError) as caught:
                open_at_office(bytes(damaged), laptop, office)
            section = owner[position]
            seen.add(section)
            if section in ("ephemeral", "nonce", "ciphertext", "signature"):
                assert type(caught.value) is TamperedBundle, (section, position, mask)
            elif section == "magic" or section.endswith("_length"):
                assert isinstance(caught.value, CorruptBundle), (section, position, mask)
    assert seen == set(spans)


def test_every_truncation_is_refused_as_corrupt(laptop, office):
    data = make(laptop, office)
    for length in range(len(data)):
        with pytest.raises(CorruptBundle):
            open_at_office(data[:length], laptop, office)
        with pytest.raises(CorruptBundle):
            read_manifest(data[:length])


@pytest.mark.parametrize("tail", [b"\x00", b"x" * 1000, MAGIC])
def test_trailing_bytes_are_refused(laptop, office, tail):
    with pytest.raises(CorruptBundle) as caught:
        open_at_office(make(laptop, office) + tail, laptop, office)
    assert "extra data" in str(caught.value)


@pytest.mark.parametrize("junk", [b"", b"SQLite format 3\x00" + bytes(100), b"LIETA-SYNC\x01" + bytes(50),
                                  b"%PDF-1.7\n" + bytes(100)])
def test_other_files_are_not_bundles(laptop, office, junk):
    with pytest.raises(CorruptBundle) as caught:
        open_at_office(junk, laptop, office)
    assert type(caught.value) is CorruptBundle


def test_a_bundle_from_a_newer_format_asks_for_an_update(laptop, office):
    data = make(laptop, office)
    newer = bundle.MAGIC_PREFIX + b"\x02" + data[len(MAGIC):]
    with pytest.raises(UnsupportedBundle) as caught:
        read_manifest(newer)
    assert "format 2" in str(caught.value) and "Update Lieta" in str(caught.value)


@pytest.mark.parametrize("edit", [
    {"last_seq": 99}, {"first_seq": 1}, {"epoch": "0000000000000000"}, {"schema_version": 9},
    {"created_at": "2026-11-24T09:30:05Z"},
])
def test_a_carefully_edited_manifest_fails_the_signature(laptop, office, edit):
    data = make(laptop, office)
    edited = replace(read_manifest(data), **edit).to_bytes()
    forged = rebuild(data, manifest=edited)
    assert read_manifest(forged) != read_manifest(data)  # structurally fine: only the signature can tell
    with pytest.raises(TamperedBundle) as caught:
        open_at_office(forged, laptop, office)
    assert "signature" in str(caught.value)


@pytest.mark.parametrize("manifest", [
    b"not json", b"[]", b'{"format":1}', b"{}",
])
def test_a_broken_manifest_is_corrupt(laptop, office, manifest):
    forged = rebuild(make(laptop, office), manifest=manifest)
    with pytest.raises(CorruptBundle) as caught:
        read_manifest(forged)
    assert "description" in str(caught.value)


@pytest.mark.parametrize("field, value", [
    ("kind", "to_elsewhere"), ("first_seq", -1), ("last_seq", 3), ("schema_version", True), ("sender", ""),
    ("sender", "../../etc"), ("created_at", "2026-13-40T00:00:00Z"), ("payload_sha256", "ABC"), ("epoch", 7),
    ("format", 2), ("payload_bytes", len(PAYLOAD) + 1),
])
def test_manifest_fields_are_checked_strictly(laptop, office, field, value):
    data = make(laptop, office)
    fields = json.loads(data[slice(*sections(data)["manifest"])])
    fields[field] = value
    forged = rebuild(data, manifest=json.dumps(fields).encode())
    with pytest.raises(CorruptBundle):
        read_manifest(forged)


def test_a_duplicated_manifest_key_is_refused(laptop, office):
    data = make(laptop, office)
    raw = data[slice(*sections(data)["manifest"])]
    forged = rebuild(data, manifest=raw[:-1] + b',"last_seq":99}')
    with pytest.raises(CorruptBundle):
        read_manifest(forged)


# --- wrong parties -------------------------------------------------------------------------------------------------


def test_a_bundle_sealed_for_another_office_is_foreign(laptop, office):
    other_office = KeyPair.generate()
    data = make(laptop, other_office)
    with pytest.raises(ForeignBundle) as caught:
        open_at_office(data, laptop, office)
    assert "keys this computer does not have" in str(caught.value)


def test_a_bundle_addressed_to_another_laptop_is_foreign(laptop, office):
    data = seal(PAYLOAD, kind="to_device", sender="office", recipient=str(uuid.uuid4()), epoch="e", first_seq=0,
                last_seq=0, schema_version=4, sender_keys=office, recipient_public=laptop.public())
    with pytest.raises(ForeignBundle) as caught:
        open_sealed(data, recipient_keys=laptop, sender_public=office.public(), recipient=DEVICE)
    assert "another computer" in str(caught.value)


def test_a_bundle_from_an_unregistered_device_is_foreign(laptop, office):
    asked = []

    def lookup(sender: str) -> PublicKeys | None:
        asked.append(sender)
        return None

    with pytest.raises(ForeignBundle) as caught:
        open_sealed(make(laptop, office), recipient_keys=office, sender_public=lookup)
    assert asked == [DEVICE]
    assert "not registered" in str(caught.value)


def test_a_bundle_signed_by_another_key_than_the_registered_one_is_tampered(laptop, office):
    impostor = KeyPair.generate()
    data = make(impostor, office)  # claims to be DEVICE, signed with the impostor's key
    with pytest.raises(TamperedBundle) as caught:
        open_at_office(data, laptop, office)
    assert "signature" in str(caught.value)


def resign(data: bytes, keys: KeyPair, **manifest_edits) -> bytes:
    """The bundle with its manifest edited and validly re-signed with ``keys``: only the cipher can object."""
    manifest = replace(read_manifest(data), **manifest_edits).to_bytes()
    unsigned = rebuild(data, manifest=manifest)
    signed_part = unsigned[:sections(unsigned)["signature_length"][0]]
    signature = bundle.Ed25519PrivateKey.from_private_bytes(keys.signing_private).sign(signed_part)
    return rebuild(unsigned, signature=signature)


def test_another_registered_device_cannot_re_sign_a_stolen_bundle_as_its_own(laptop, office):
    """The manifest is the cipher's associated data: changing the sender breaks decryption even if re-signed."""
    thief_id, thief = str(uuid.uuid4()), KeyPair.generate()
    forged = resign(make(laptop, office), thief, sender=thief_id)
    registered = {DEVICE: laptop.public(), thief_id: thief.public()}
    with pytest.raises(TamperedBundle) as caught:
        open_sealed(forged, recipient_keys=office, sender_public=registered.get)
    assert "encrypted contents" in str(caught.value)


@pytest.mark.parametrize("edit", [{"last_seq": 99}, {"epoch": "0000000000000000"}, {"schema_version": 9}])
def test_the_cipher_binds_every_manifest_field_not_just_the_signature(laptop, office, edit):
    """Defence in depth: even a validly re-signed manifest edit fails the AES-GCM tag (manifest = associated data)."""
    with pytest.raises(TamperedBundle) as caught:
        open_at_office(resign(make(laptop, office), laptop, **edit), laptop, office)
    assert "encrypted contents" in str(caught.value)


def test_only_the_recipient_key_opens_it_even_with_a_matching_manifest(laptop, office):
    """A bundle sealed to one key but relabelled for another is refused by the cipher, not trusted by label."""
    forged = resign(make(laptop, KeyPair.generate()), laptop, recipient_key=office.public().key_id)
    with pytest.raises(TamperedBundle):
        open_at_office(forged, laptop, office)


# --- keys ----------------------------------------------------------------------------------------------------------


def test_public_keys_round_trip_through_their_text_form(laptop):
    text = laptop.public().to_text()
    assert text.startswith("x25519:") and ";ed25519:" in text and len(text) == 102
    assert PublicKeys.from_text(f"  {text}\n") == laptop.public()
    assert KeyPair.from_private(laptop.encryption_private, laptop.signing_private) == laptop


def test_private_keys_are_never_printed(laptop):
    assert laptop.encryption_private.hex() not in repr(laptop)
    assert laptop.signing_private.hex() not in repr(laptop)
    assert repr(laptop.encryption_private) not in repr(laptop)


@pytest.mark.parametrize("text", ["", "x25519:abc;ed25519:def", "ed25519:" + "A" * 43 + ";x25519:" + "A" * 43,
                                  "x25519:" + "A" * 43 + ";ed25519:" + "A" * 42 + "B", "x25519:" + "A" * 43])
def test_bad_key_text_is_refused_clearly(text):
    with pytest.raises(InvalidKeys) as caught:
        PublicKeys.from_text(text)
    assert "Copy the whole text" in str(caught.value)


def test_seal_refuses_arguments_that_would_make_an_unopenable_bundle(laptop, office):
    for bad in ({"kind": "sideways"}, {"first_seq": 5, "last_seq": 4}, {"sender": "a b"},
                {"created_at": dt.datetime(2026, 1, 1)}):
        with pytest.raises(ValueError):
            make(laptop, office, **bad)


# --- files ---------------------------------------------------------------------------------------------------------


def test_write_bundle_leaves_only_the_bundle_and_it_reads_back_equal(laptop, office, tmp_path):
    data = make(laptop, office)
    target = tmp_path / "lieta-to-office.bundle"
    write_bundle(target, data)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert read_bundle(target) == data
    assert open_at_office(read_bundle(target), laptop, office)[1] == PAYLOAD
    write_bundle(target, data[::-1])  # a second write replaces the first whole
    assert read_bundle(target) == data[::-1] and len(list(tmp_path.iterdir())) == 1


def test_write_bundle_into_a_missing_folder_fails_clearly(tmp_path):
    target = tmp_path / "unplugged" / "x.bundle"
    with pytest.raises(BundleWriteFailed) as caught:
        write_bundle(target, b"data")
    assert "does not exist" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def readonly_folder(tmp_path, monkeypatch):
    """A folder nobody may write to: permission bits, or for root the immutable flag, or a simulated EROFS."""
    folder = tmp_path / "stick"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    immutable = False
    if os.access(folder, os.W_OK) and shutil.which("chattr"):  # root ignores permission bits
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    probe = folder / "probe"
    try:
        probe.touch()
    except OSError:
        pass
    else:
        probe.unlink()
        real_open = os.open

        def refusing_open(path, flags, *args):
            if Path(path).parent == folder and flags & os.O_CREAT:
                raise OSError(errno.EROFS, "Read-only file system", str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(bundle.os, "open", refusing_open)
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(stat.S_IRWXU)


def test_write_bundle_into_a_readonly_folder_fails_clearly(readonly_folder):
    with pytest.raises(BundleWriteFailed) as caught:
        write_bundle(readonly_folder / "x.bundle", b"data")
    assert "write-protected" in str(caught.value)
    assert list(readonly_folder.iterdir()) == []


def test_a_failure_while_writing_removes_the_temp_file(tmp_path, monkeypatch):
    def failing_fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle.os, "fsync", failing_fsync)
    with pytest.raises(BundleWriteFailed) as caught:
        write_bundle(tmp_path / "x.bundle", b"data" * 1000)
    assert "not enough space" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_stick_that_reads_back_different_bytes_leaves_no_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "_reads_back_equal", lambda path, data: False)
    with pytest.raises(BundleWriteFailed) as caught:
        write_bundle(tmp_path / "x.bundle", b"data")
    assert "differs from what was written" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_the_read_back_check_notices_a_changed_byte(tmp_path):
    path = tmp_path / "x.bundle"
    path.write_bytes(b"abcdef")
    assert bundle._reads_back_equal(path, b"abcdef")
    assert not bundle._reads_back_equal(path, b"abcdeg")
    assert not bundle._reads_back_equal(path, b"abcde")


def test_read_bundle_explains_a_missing_file_and_refuses_a_huge_one(tmp_path, monkeypatch):
    with pytest.raises(BundleNotFound) as caught:
        read_bundle(tmp_path / "nowhere.bundle")
    assert "USB stick is plugged in" in str(caught.value)
    big = tmp_path / "big.bundle"
    big.write_bytes(b"LIETA-BUNDLE\x01" + bytes(100))
    monkeypatch.setattr(bundle, "MAX_BUNDLE_BYTES", 64)
    with pytest.raises(CorruptBundle) as caught:
        read_bundle(big)
    assert "too large" in str(caught.value)


def test_error_messages_carry_no_personal_data_and_are_lieta_errors(laptop, office):
    data = make(laptop, office)
    errors = []
    for damaged in (data[:50], data + b"x", make(laptop, KeyPair.generate()), make(KeyPair.generate(), office)):
        try:
            open_at_office(damaged, laptop, office)
        except BundleError as error:
            errors.append(error)
    assert [type(e) for e in errors] == [CorruptBundle, CorruptBundle, ForeignBundle, TamperedBundle]
    for error in errors:
        assert isinstance(error, LietaError) and error.code != "error"
        assert "Bērziņš" not in str(error) and "010190" not in str(error)
        assert "nothing from it was applied" in str(error)
