"""`lieta list KIND` finds ids and `lieta print KIND ID --out FILE` writes every document kind from demo data:
owner-only files, readable PDFs, the right client; bad ids and kinds get a clear message and write nothing."""

from __future__ import annotations

import datetime as dt
import io
import stat

import pytest
from pypdf import PdfReader

from app.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from app.demo import seed_demo
from app.listing import printable
from forms.cli import DOCUMENTS
from tests.conftest import LOGIN, PASSPHRASE

#: which `lieta list` kind gives the ids of each printable kind
SOURCE = {"decision": "decisions", "visit": "visits", "assessment": "assessments", "plan": "plans",
          "agreement": "agreements", "client-card": "clients", "genogram": "clients", "client-data": "clients"}


@pytest.fixture
def demo(ctx, monkeypatch):
    seed_demo(ctx, 25, seed=4, today=dt.date(2026, 11, 23))
    monkeypatch.setenv("LIETA_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("LIETA_LANG", "lv")
    return ctx


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), "--user", LOGIN, *args])


def test_every_kind_is_listed_and_printed_to_an_owner_only_file(demo, data_dir, tmp_path, capsys):
    assert set(SOURCE) == set(DOCUMENTS)
    for kind, source in SOURCE.items():
        assert run(data_dir, "list", source, "--limit", "200") == EXIT_OK
        lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
        assert lines and all(len(line) >= 4 for line in lines), source
        out = tmp_path / f"{kind}.pdf"
        for line in lines:  # a planned visit has no report, a client living alone no genogram: try the next
            record = line[-1] if kind == "client-data" else line[0]  # the data report is about a person
            code = run(data_dir, "print", kind, record, "--out", str(out))
            assert code in (EXIT_OK, EXIT_INVALID), (kind, capsys.readouterr().err)  # refusals are explained
            if code == EXIT_OK:
                break
        assert code == EXIT_OK, kind
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
        assert line[2] in " ".join(text.split()), (kind, line[2])  # the client's name is on it
        capsys.readouterr()


def test_a_blank_checklist_and_large_print(demo, data_dir, tmp_path, capsys):
    blank = tmp_path / "blank.pdf"
    assert run(data_dir, "print", "blank", "home-visit", "--template", "home_visit_family", "--out",
               str(blank)) == EXIT_OK
    assert stat.S_IMODE(blank.stat().st_mode) == 0o600 and blank.read_bytes().startswith(b"%PDF")
    decision = printable(demo, "decisions", limit=1)[0].id
    normal, large = tmp_path / "normal.pdf", tmp_path / "large.pdf"
    assert run(data_dir, "print", "decision", str(decision), "--out", str(normal)) == EXIT_OK
    assert run(data_dir, "print", "decision", str(decision), "--out", str(large), "--large-print") == EXIT_OK
    assert len(PdfReader(str(large)).pages) >= len(PdfReader(str(normal)).pages)
    assert large.read_bytes() != normal.read_bytes()


def test_bad_ids_kinds_and_templates_are_refused_and_nothing_is_written(demo, data_dir, tmp_path, capsys):
    out = tmp_path / "never.pdf"
    assert run(data_dir, "print", "decision", "not-an-id", "--out", str(out)) == EXIT_USAGE
    assert "lieta list" in capsys.readouterr().err
    assert run(data_dir, "print", "blank", "home-visit", "--out", str(out)) == EXIT_USAGE
    assert run(data_dir, "print", "blank", "home-visit", "--template", "no_such_form", "--out", str(out)) != EXIT_OK
    assert run(data_dir, "print", "decision", "01a20826-56ad-7020-b9e4-bdd6f491fddc", "--out", str(out)) != EXIT_OK
    assert not out.exists()
    decision = printable(demo, "decisions", limit=1)[0].id
    assert run(data_dir, "print", "decision", str(decision), "--out", str(tmp_path / "nav" / "x.pdf")) == EXIT_INVALID
    assert "Failu nevarēja ierakstīt: mape neeksistē" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(data_dir, "list", "everything")
