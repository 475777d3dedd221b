"""Decision letters read back from the PDF: content, Latvian diacritics, embedded font, the draft mark only on
drafts, long texts flowing onto further pages, markup printed literally, missing content refused first."""

from __future__ import annotations

import dataclasses
import io
import subprocess

import pytest
from pypdf import PdfReader

from app import decisions
from app.decisions import IncompleteDecision
from forms.decision_letter import decision_letter
from storage.models import AuditEvent
from tests.app.test_assistance import GRANT, REFUSAL, approved, signed_agreement
from tests.forms.conftest import LETTERS, flat, fonts_of, text_of

pytestmark = pytest.mark.usefixtures("lv")


def issued_grant(ctx, head, client, application):
    decision = approved(ctx, head, client, GRANT, application)
    signed_agreement(ctx, client)
    decisions.issue_decision(ctx, decision, "2026-11-23")
    return decision


def test_an_issued_grant_prints_every_required_part_in_exact_latvian(ctx, head, client, application):
    pdf = decision_letter(ctx, issued_grant(ctx, head, client, application))
    text = text_of(pdf)
    for expected in ("Priedkalnes novada Sociālais dienests", "Nr. LEM/2026/0001", "23.11.2026.", "Andris Kalniņš",
                     "Liepu iela 3, Ērgļi", "LĒMUMS par piešķiršanu", "Mājokļa pabalsts", "02.11.2026.",
                     GRANT.facts, GRANT.legal_basis[0], GRANT.operative_part, "120,50 EUR",
                     "01.11.2026.", "30.11.2026.", "Ilze Vadītāja", "Lapa 1 no 1"):
        assert expected in text, expected
    assert "MELNRAKSTS" not in text
    fonts = fonts_of(pdf)
    assert all(fonts.values()) and any(name.endswith("+DejaVuSerif") for name in fonts)  # embedded subsets only


def test_a_draft_prints_with_the_draft_mark_and_a_signed_one_without(ctx, head, client, application):
    draft = decisions.draft_decision(ctx, client, GRANT, application_id=application)
    assert "MELNRAKSTS" in text_of(decision_letter(ctx, draft))
    decisions.submit_decision(ctx, draft)
    assert "MELNRAKSTS" in text_of(decision_letter(ctx, draft))  # submitted is not yet signed
    decisions.approve_and_sign(head, draft)
    assert "MELNRAKSTS" not in text_of(decision_letter(ctx, draft))


def test_a_refusal_names_the_appeal_body_and_term(ctx, head, client):
    decision = approved(ctx, head, client, REFUSAL)
    text = flat(text_of(decision_letter(ctx, decision)))
    assert "LĒMUMS par atteikumu" in text and REFUSAL.appeal_body in text and REFUSAL.appeal_term in text
    assert REFUSAL.participants_views in text and REFUSAL.reasons in text


def test_diacritics_markup_and_very_long_text_print_literally_and_flow_onto_more_pages(ctx, head, client):
    facts = (f"{LETTERS} <b>treknraksts</b> & 100% <br/> " * 4 + "\n") * 40  # near the 10,000-character limit
    decision = approved(ctx, head, client, dataclasses.replace(GRANT, facts=facts))
    pdf = decision_letter(ctx, decision)
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)
    assert len(reader.pages) >= 3 and f"Lapa 1 no {len(reader.pages)}" in text
    assert LETTERS in text and "<b>treknraksts</b> & 100% <br/>" in text


def test_missing_required_content_is_refused_before_rendering(ctx, head, client):
    decision = approved(ctx, head, client, GRANT)
    with ctx.write() as session:
        from storage.models import Client, Person
        person = session.get(Person, session.get(Client, client).person_id)
        person.address = None
    with pytest.raises(IncompleteDecision) as refused:
        decision_letter(ctx, decision)
    assert "adrese" in refused.value.english().lower() or "address" in refused.value.english().lower()


def test_printing_is_audited_and_the_first_page_renders(ctx, head, client, application, tmp_path):
    decision = issued_grant(ctx, head, client, application)
    pdf = decision_letter(ctx, decision, large_print=True)
    with ctx.read() as session:
        events = session.query(AuditEvent).filter(AuditEvent.action == "print").all()
    assert [e.entity_id for e in events] == [decision]
    out = tmp_path / "page"
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "letter.pdf"), str(out)],
                   check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 2000


def test_lieta_print_writes_the_letter_only_where_asked_readable_by_its_owner(ctx, head, client, tmp_path, data_dir,
                                                                                monkeypatch):
    from app.cli import main
    from tests.conftest import LOGIN, PASSPHRASE

    decision = approved(ctx, head, client, GRANT)
    ctx.store.lock()
    monkeypatch.setenv("LIETA_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "lemums.pdf"
    assert main(["--data-dir", str(data_dir), "--user", LOGIN, "print", "decision", str(decision),
                 "--out", str(out)]) == 0
    assert "LĒMUMS par piešķiršanu" in text_of(out.read_bytes()) and (out.stat().st_mode & 0o777) == 0o600


def test_amendment_and_revocation_letters_name_the_decision_they_change(ctx, head, client, application):
    original = issued_grant(ctx, head, client, application)
    amendment = approved(ctx, head, client, dataclasses.replace(
        GRANT, kind="amendment", amount="130", reasons="Pārrēķināti apkures izdevumi pēc rēķina.",
        operative_part="Grozīt lēmumu: mājokļa pabalsts 130,00 EUR.", amends_decision_id=original))
    decisions.issue_decision(ctx, amendment, "2026-11-23")
    text = flat(text_of(decision_letter(ctx, amendment)))
    for expected in ("LĒMUMS par lēmuma grozīšanu", "Šis lēmums groza 23.11.2026. lēmumu Nr. LEM/2026/0001.",
                     "Pārrēķināti apkures izdevumi pēc rēķina.", "Apmērs: 130,00 EUR mēnesī"):
        assert expected in text, expected
    assert "Lēmuma apstrīdēšana" not in text  # a favourable amendment has no appeal route to state
    revocation = approved(ctx, head, client, dataclasses.replace(
        REFUSAL, kind="revocation", operative_part="Atcelt lēmumu par mājokļa pabalstu.",
        reasons="Klients pārcēlās uz citu novadu.", amends_decision_id=amendment))
    decisions.issue_decision(ctx, revocation, "2026-11-23")
    text = flat(text_of(decision_letter(ctx, revocation)))
    for expected in ("LĒMUMS par lēmuma atcelšanu", "Šis lēmums atceļ 23.11.2026. lēmumu Nr. LEM/2026/0002.",
                     "Klients pārcēlās uz citu novadu.", "Lēmuma apstrīdēšana", "Ērgļu novada pašvaldības domē"):
        assert expected in text, expected
    assert "MELNRAKSTS" not in text
