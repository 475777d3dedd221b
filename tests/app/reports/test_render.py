"""Reports rendered as aligned text (Latvian by default) and as JSON with stable keys."""

import json

from app import records
from app.reports import complaints_register, inspection_report, statistics_report, workload_report
from app.reports.render import format_number, to_json, to_text


def test_numbers_and_dates_follow_the_language():
    assert format_number("1234.5", "lv", places=2) == "1234,50"
    assert format_number("1234.5", "en", places=2) == "1234.50"
    assert format_number(21.5, "lv") == "21,5" and format_number(24, "en") == "24"


def test_inspection_text_names_the_client_the_worker_and_the_finding(world):
    complaint_by = world.person_of(world.ids["liga"])
    records.register_complaint(world.ctx, "2026-10-01", "oral", "Nav atbildes.", complainant_person_id=complaint_by)
    text = to_text(inspection_report(world.head), "en")
    lines = text.splitlines()
    assert lines[:4] == ["Inspection readiness", "====================", "Date: 2026-11-23", "Scope: Ērgļu novads"]
    assert "Complaints not answered in time                           1" in lines
    [row] = [line for line in lines if "is not answered" in line]
    assert row.split("  ")[0] == "2026-11-02"
    assert "Ozoliņa Līga" in row and "Anna Kalniņa" in row and "Ērgļu pagasts" in row
    assert row.endswith("complaint received on 2026-10-01 is not answered; the answer was due on 2026-11-02")


def test_latvian_text_writes_dates_and_amounts_the_latvian_way(world):
    text = to_text(statistics_report(world.head, 2026))  # the headings come from the catalog, Latvian by default
    assert text.splitlines()[2].endswith(": 23.11.2026.")
    assert "Mājokļa pabalsts" in text  # the benefit's name from the catalogue in reference data
    assert "120,50" in text and "320,50" in text and "120.50" not in text
    lines = text.splitlines()
    [total] = [index for index, line in enumerate(lines) if "320,50" in line]
    assert lines[total].split()[-3:] == ["2", "2", "320,50"]
    table = lines[total - 4:total + 1]  # header, rule, two benefits, total: amounts right-aligned
    assert len({len(line) for line in table}) == 1, table


def test_an_empty_report_says_so(world):
    text = to_text(inspection_report(world.head), "en")
    assert "No findings: every check passed." in text
    assert "(none)" in to_text(complaints_register(world.ctx, 2025), "en")


def test_inspection_json_has_stable_keys_string_ids_and_iso_dates(world):
    complaint = records.register_complaint(world.ctx, "2026-10-01", "oral", "Nav atbildes.")
    data = json.loads(to_json(inspection_report(world.head)))
    assert set(data) == {"kind", "title", "date", "year", "scope", "names", "total", "by_worker", "by_parish",
                         "checks"}
    assert (data["kind"], data["date"], data["total"]) == ("inspection", "2026-11-23", 1)
    assert data["scope"] == {"whole_municipality": True, "municipality": "Ērgļu novads", "worker_id": None}
    check = next(c for c in data["checks"] if c["id"] == "complaints_unanswered")
    assert check["title"]["en"] == "Complaints not answered in time" and set(check["title"]) == {"lv", "en"}
    assert check["by_worker"] == [{"worker_id": str(world.ids["anna"]), "count": 1}]
    assert check["findings"] == [{
        "entity": "complaints", "record_id": str(complaint), "client_id": None, "worker_id": str(world.ids["anna"]),
        "parish_id": None, "day": "2026-11-02",
        "message": {"msgid": "complaint received on {received} is not answered; the answer was due on {day}",
                    "params": {"received": "2026-10-01", "day": "2026-11-02"},
                    "text": "complaint received on 2026-10-01 is not answered; the answer was due on 2026-11-02"}}]
    assert data["names"]["workers"] == {str(world.ids["anna"]): "Anna Kalniņa"}
    assert to_json(inspection_report(world.head)) == to_json(inspection_report(world.head))


def test_table_json_keeps_exact_amounts_and_hours(world):
    statistics = json.loads(to_json(statistics_report(world.head, 2026)))
    benefits = next(t for t in statistics["tables"] if t["id"] == "benefits")
    assert [c["key"] for c in benefits["columns"]] == ["benefit", "decisions", "recipients", "amount"]
    assert benefits["rows"][-1] == {"benefit": "total", "decisions": 2, "recipients": 2, "amount": "320.50"}
    workload = json.loads(to_json(workload_report(world.ctx, 2026)))
    [row] = workload["tables"][0]["rows"]
    assert row["worker"] == str(world.ids["anna"])
    assert (row["training_hours"], row["training_norm"], row["caseload_target"]) == (22.0, 24, "20–22")
    assert (workload["year"], workload["scope"]["whole_municipality"]) == (2026, False)
