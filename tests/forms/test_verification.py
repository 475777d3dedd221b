"""Verification codes: a genuine letter verifies offline from its printed QR code; every single altered fact —
in the code or on the paper — fails; drafts carry no seal; a short code finds the document on the laptop."""

from __future__ import annotations

import base64
import io
import json
import struct
import subprocess
import zlib

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import insert, update

from app import attestation, decisions, visits
from app.attestation import NotGenuine
from app.cli import main
from app.signing import KeyPair
from forms import verification
from forms.decision_letter import decision_letter
from forms.home_visit import home_visit_report
from storage.models import Decision, DeviceState, Person, SyncState, utcnow
from tests.app.test_assistance import GRANT, REFUSAL, approved, signed_agreement
from tests.forms.conftest import flat, text_of
from tests.forms.test_decision_letter import issued_grant
from tests.forms.test_home_visit import made_visit


pytestmark = pytest.mark.usefixtures("lv")


@pytest.fixture
def service():
    return KeyPair.generate()


@pytest.fixture
def certified(ctx, service):
    """This laptop enrolled with ``service``, which certified its signing key (as enrolment does)."""
    keys = KeyPair.generate()
    with ctx.store.session() as session:
        device_id = session.get(DeviceState, 1).device_id
    certificate = attestation.certify_device(service, device_id, keys.public(), ctx.today())
    with ctx.store.engine.begin() as conn:
        conn.execute(insert(SyncState.__table__).values(
            singleton=1, server_url="http://127.0.0.1:8765", server_keys=service.public().to_text(),
            device_keys=keys.to_text(), device_certificate=certificate.to_text(), enrolled_at=utcnow()))
    return keys


def qr_text(pdf: bytes) -> str:
    """Read the QR code back from the last page, where the seal is (200 dpi, as a scan of the letter would be)."""
    page = len(PdfReader(io.BytesIO(pdf)).pages)
    png = subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", str(page), "-l", str(page), "-"], input=pdf,
                         capture_output=True, check=True).stdout
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, "exactly one QR code on the page"
    return found[0].text


def repack(token: str, change) -> str:
    """The token with its facts edited and everything else (certificate, signature) kept: a forger's attempt."""
    body = token[len(attestation.TOKEN_PREFIX):]
    raw = base64.b32decode(body + "=" * (-len(body) % 8))
    (length,) = struct.unpack(">H", raw[1:3])
    facts = json.loads(zlib.decompress(raw[3:3 + length]))
    change(facts)
    packed = zlib.compress(attestation.canonical(facts), 9)
    raw = raw[:1] + struct.pack(">H", len(packed)) + packed + raw[3 + length:]
    return attestation.TOKEN_PREFIX + base64.b32encode(raw).decode().rstrip("=")


def test_a_genuine_letter_verifies_offline_from_its_printed_qr_code(ctx, head, client, application, service,
                                                                    certified):
    decision = issued_grant(ctx, head, client, application)
    pdf = decision_letter(ctx, decision)
    token = qr_text(pdf)
    check = verification.check_token(token, service.public(), text_of(pdf))
    assert check.ok and check.altered == []
    assert check.facts["name"] == "Andris Kalniņš" and check.facts["amount"] == 12050
    assert (check.facts["number"], check.facts["date"], check.facts["from"], check.facts["to"]) == (
        "LEM/2026/0001", "2026-11-23", "2026-11-01", "2026-11-30")
    assert f"Pārbaudes kods: {check.code}" in flat(text_of(pdf))
    assert decision_letter(ctx, decision) == pdf  # a reprint is the same letter with the same code


def test_every_single_altered_fact_in_the_code_fails(ctx, head, client, application, service, certified):
    token = qr_text(decision_letter(ctx, issued_grant(ctx, head, client, application)))
    facts = attestation.verify_token(token, service.public()).facts
    for name, value in facts.items():
        other = (value + 1) if isinstance(value, int) else ("x" if value is None else value[:-1] + "9")
        forged = repack(token, lambda f: f.__setitem__(name, other))
        with pytest.raises(NotGenuine) as refused:
            attestation.verify_token(forged, service.public())
        assert refused.value.params["reason_msg"] == "its content does not match its signature", name
    unchanged = repack(token, lambda f: None)
    assert attestation.verify_token(unchanged, service.public()).facts == facts  # the forging helper is faithful


def test_damaged_foreign_and_self_certified_codes_fail(ctx, head, client, application, service, certified):
    token = qr_text(decision_letter(ctx, issued_grant(ctx, head, client, application)))
    with pytest.raises(NotGenuine):  # checked against another service's key
        attestation.verify_token(token, KeyPair.generate().public())
    flipped = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    with pytest.raises(NotGenuine):
        attestation.verify_token(flipped, service.public())
    with pytest.raises(NotGenuine):
        attestation.verify_token(token[:-10], service.public())
    with pytest.raises(NotGenuine):
        attestation.verify_token("LIETA1:" + "Ā" * 20, service.public())
    # a laptop that certified itself (its own key posing as the service's) is not this service's laptop
    rogue = KeyPair.generate()
    with ctx.store.session() as session:
        device_id = session.get(DeviceState, 1).device_id
    forged_cert = attestation.certify_device(rogue, device_id, rogue.public(), ctx.today())
    facts = attestation.verify_token(token, service.public()).facts
    forged = attestation.seal(facts, rogue, forged_cert).token
    with pytest.raises(NotGenuine) as refused:
        attestation.verify_token(forged, service.public())
    assert "certified" in refused.value.params["reason_msg"]


def test_every_single_altered_fact_on_the_paper_fails(ctx, head, client, application, service, certified):
    decision = issued_grant(ctx, head, client, application)
    pdf = decision_letter(ctx, decision)
    token, text = qr_text(pdf), text_of(pdf)
    facts = attestation.verify_token(token, service.public()).facts
    assert set(verification.printed_forms(facts)) == {"number", "name", "date", "from", "to", "amount"}
    forgeries = {"number": ("LEM/2026/0001", "LEM/2026/0007"), "name": ("Andris Kalniņš", "Andris Kalniņa"),
                 "date": ("23.11.2026.", "24.11.2026."), "from": ("no 01.11.2026.", "no 01.10.2026."),
                 "to": ("līdz 30.11.2026.", "līdz 31.12.2026."), "amount": ("120,50 EUR mēnesī", "1200,50 EUR mēnesī")}
    for name, (shown, changed) in forgeries.items():
        assert shown in text, shown
        altered = verification.check_token(token, service.public(), text.replace(shown, changed)).altered
        assert name in altered and set(altered) <= {name, "amount", "from", "to"}, (name, altered)


def test_a_letter_reprinted_from_altered_data_with_the_old_code_fails(ctx, head, client, application, service,
                                                                       certified):
    decision = issued_grant(ctx, head, client, application)
    token = qr_text(decision_letter(ctx, decision))
    with ctx.store.engine.begin() as conn:  # someone edits the file behind the application's back
        conn.execute(update(Decision.__table__).where(Decision.id == decision).values(amount_cents=99000))
    forged_pdf = decision_letter(ctx, decision)
    assert verification.check_token(token, service.public(), text_of(forged_pdf)).altered == ["amount"]
    assert qr_text(forged_pdf) != token  # and its own new code no longer matches the service's record of it
    with ctx.store.engine.begin() as conn:
        conn.execute(update(Person.__table__).values(surname="Kalniņa"))
    assert "name" in verification.check_token(token, service.public(), text_of(decision_letter(ctx, decision))
                                              ).altered


def test_drafts_carry_no_seal_and_an_uncertified_laptop_prints_only_the_short_code(ctx, head, client, application):
    draft = decisions.draft_decision(ctx, client, GRANT, application_id=application)
    assert "Pārbaudes kods" not in text_of(decision_letter(ctx, draft))
    decision = issued_grant(ctx, head, client, application)
    text = flat(text_of(decision_letter(ctx, decision)))
    assert "Pārbaudes kods:" in text and "nav centrālā servisa sertifikāta" in text


def test_a_short_code_read_over_the_phone_finds_the_document(ctx, head, client, application, service, certified):
    signed_agreement(ctx, client)
    refusal = approved(ctx, head, client, REFUSAL, application)
    decisions.issue_decision(ctx, refusal, "2026-11-23")
    check = verification.check_token(qr_text(decision_letter(ctx, refusal)), service.public())
    spoken = check.code.lower().replace("-", " ").replace("0", "o")
    found = verification.find_by_code(ctx, spoken)
    assert found is not None and found.facts == check.facts
    assert verification.find_by_code(ctx, "ZZZZ-ZZZZ-ZZZZ") is None


def test_lieta_verify_on_the_command_line(ctx, head, client, application, service, certified, data_dir, tmp_path,
                                          capsys, monkeypatch):
    decision = issued_grant(ctx, head, client, application)
    pdf = decision_letter(ctx, decision)
    token = qr_text(pdf)
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(pdf)
    monkeypatch.setenv("LIETA_LANG", "lv")
    assert main(["verify", token, "--service-key", service.public().to_text(), "--pdf", str(letter)]) == 0
    out = capsys.readouterr().out
    assert "Īsts" in out and "Andris Kalniņš" in out and "Dokumentā ir tas, kas tika parakstīts." in out
    forged = tmp_path / "forged.pdf"
    with ctx.store.engine.begin() as conn:
        conn.execute(update(Decision.__table__).where(Decision.id == decision).values(amount_cents=99000))
    forged.write_bytes(decision_letter(ctx, decision))
    assert main(["verify", token, "--service-key", service.public().to_text(), "--pdf", str(forged)]) == 4
    assert "MAINĪTS" in capsys.readouterr().out
    assert main(["verify", repack(token, lambda f: f.update(amount=99000)), "--service-key",
                 service.public().to_text()]) == 4
    assert "NAV īsts" in capsys.readouterr().err


def test_a_signed_home_visit_report_carries_a_seal_that_verifies_and_catches_a_changed_name(ctx, erika, service,
                                                                                         certified):
    visit = made_visit(ctx, erika)
    visits.sign_visit(ctx, visit, "signed")
    pdf = home_visit_report(ctx, visit)
    token, text = qr_text(pdf), text_of(pdf)
    check = verification.check_token(token, service.public(), text)
    assert check.ok and check.facts["doc"] == "home_visit" and check.facts["name"] == "Ērika Šķēle-Ģīle"
    assert check.facts["worker"] == "Anna Kalniņa" and f"Pārbaudes kods: {check.code}" in flat(text)
    assert verification.check_token(token, service.public(), text.replace("Šķēle", "Skele")).altered == ["name"]
    assert verification.find_by_code(ctx, check.code).facts == check.facts
    draft = made_visit(ctx, erika)  # in progress: no seal
    assert "Pārbaudes kods" not in text_of(home_visit_report(ctx, draft))


def test_lieta_verify_explains_a_missing_or_foreign_file(service, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LIETA_LANG", "lv")
    token = "LIETA1:AAAA"
    key = service.public().to_text()
    assert main(["verify", token, "--service-key", key, "--pdf", str(tmp_path / "nav.pdf")]) == 2
    assert "nav.pdf" in capsys.readouterr().err
    (tmp_path / "vestule.pdf").write_bytes(b"not a pdf at all")
    assert main(["verify", token, "--service-key", key, "--pdf", str(tmp_path / "vestule.pdf")]) == 4
    assert "nav lasāms PDF" in capsys.readouterr().err
