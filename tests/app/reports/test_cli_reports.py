"""``lieta report …`` as a user runs it: a real process on the well-kept service's encrypted store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import records
from app.cli import EXIT_INVALID, EXIT_USAGE
from tests.conftest import LOGIN, PASSPHRASE

pytestmark = pytest.mark.slow


def lieta(data_dir: Path, *args: str, lang: str = "en"):
    environment = {**os.environ, "LIETA_DATA_DIR": str(data_dir), "LIETA_USER": LOGIN, "LIETA_PASSPHRASE": PASSPHRASE,
                   "LIETA_LANG": lang}
    return subprocess.run([sys.executable, "-m", "app", *args], env=environment, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[3], timeout=300)


@pytest.fixture
def overdue(world):
    """The well-kept service with one complaint left unanswered since 1 October."""
    return records.register_complaint(world.ctx, "2026-10-01", "oral", "Nav atbildes.")


def test_inspection_report_as_json_lists_the_one_finding(world, overdue, data_dir):
    result = lieta(data_dir, "report", "inspection", "--date", "2026-11-23", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["kind"], data["date"], data["total"]) == ("inspection", "2026-11-23", 1)
    [check] = [check for check in data["checks"] if check["count"]]
    assert check["id"] == "complaints_unanswered"
    assert [finding["record_id"] for finding in check["findings"]] == [str(overdue)]


def test_inspection_report_as_text_in_english_and_by_default_latvian_dates(world, overdue, data_dir):
    english = lieta(data_dir, "report", "inspection", "--date", "23.11.2026", "--worker", "anna")
    assert english.returncode == 0, english.stderr
    lines = english.stdout.splitlines()
    assert lines[:2] == ["Inspection readiness", "===================="]
    assert "Worker: Anna Kalniņa" in lines
    assert any(line.startswith("Complaints not answered in time") and line.endswith(" 1") for line in lines)
    latvian = lieta(data_dir, "report", "inspection", "--date", "2026-11-23", lang="")
    assert latvian.returncode == 0, latvian.stderr
    assert latvian.stdout.splitlines()[2].endswith(": 23.11.2026.")


def test_workload_statistics_and_complaints_reports_for_a_year(world, data_dir):
    workload = lieta(data_dir, "report", "workload", "--year", "2026", "--format", "json")
    assert workload.returncode == 0, workload.stderr
    [row] = json.loads(workload.stdout)["tables"][0]["rows"]  # Anna sees her own row
    assert (row["worker"], row["active_cases"], row["supervision_sessions"]) == (str(world.ids["anna"]), 2, 8)
    statistics = lieta(data_dir, "report", "statistics", "--year", "2026", "--format", "json")
    benefits = next(t for t in json.loads(statistics.stdout)["tables"] if t["id"] == "benefits")
    assert benefits["rows"][-1]["amount"] == "320.50"
    complaints = lieta(data_dir, "report", "complaints", "--year", "2026")
    assert complaints.returncode == 0, complaints.stderr
    assert "Complaints and suggestions register" in complaints.stdout
    assert "2026-10-01" in complaints.stdout and "answered on time" in complaints.stdout


def test_report_errors_have_their_exit_codes(world, data_dir):
    unknown = lieta(data_dir, "report", "inspection", "--worker", "nobody")
    assert unknown.returncode == EXIT_INVALID and "user" in unknown.stderr
    assert lieta(data_dir, "report", "workload").returncode == EXIT_USAGE  # --year is required
    assert lieta(data_dir, "report", "inspection", "--date", "31.02.2026").returncode == EXIT_INVALID


def test_every_report_saves_as_an_owner_only_pdf_with_the_same_figures(world, overdue, data_dir, tmp_path):
    from pypdf import PdfReader

    for kind, extra in (("inspection", ["--date", "2026-11-23"]), ("workload", ["--year", "2026"]),
                        ("statistics", ["--year", "2026"]), ("complaints", ["--year", "2026"])):
        out = tmp_path / f"{kind}.pdf"
        result = lieta(data_dir, "report", kind, *extra, "--pdf", str(out), lang="lv")
        assert result.returncode == 0, result.stderr
        assert (out.stat().st_mode & 0o777) == 0o600
        text = " ".join("\n".join(page.extract_text() for page in PdfReader(str(out)).pages).split())
        assert "Priedkalnes novada Sociālais dienests" in text, kind
        if kind == "statistics":
            assert "320,50" in text
        if kind == "complaints":
            assert "01.10.2026." in text
