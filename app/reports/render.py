"""Reports as aligned plain text (Latvian by default) and as JSON (stable keys, ids as strings, ISO dates).

Text is for the terminal and for a quick print; JSON for other programs (stable keys, exact amounts as
strings "123.45"). The printed documents (forms/) render the same :class:`Table` objects.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from app.i18n import DEFAULT_LANGUAGE, gettext
from app.reports.inspection import InspectionReport
from app.reports.model import Column, Message, Names, Table, TableReport, label_text, titles
from storage.errors import N_

Report = InspectionReport | TableReport
NUMERIC = ("int", "money", "hours")
NOTHING = "—"


# -- text -----------------------------------------------------------------------------------------------------------
def format_date(day: dt.date, language: str) -> str:
    """31.12.2026. in Latvian (the usual written form), ISO otherwise."""
    return day.strftime("%d.%m.%Y.") if language == "lv" else day.isoformat()


def format_number(value: Any, language: str, *, places: int | None = None) -> str:
    number = Decimal(str(value))
    text = f"{number:.{places}f}" if places is not None else f"{number.normalize():f}"
    return text.replace(".", ",") if language == "lv" else text


def _param(language: str):
    def fmt(value: Any) -> Any:
        if isinstance(value, dt.date):
            return format_date(value, language)
        if isinstance(value, (float, Decimal)):
            return format_number(value, language)
        return value
    return fmt


def cell(column: Column, value: Any, names: Names, language: str) -> str:
    """One value as the user reads it: names for ids, labels for codes, local dates and numbers."""
    if value is None:
        if column.kind == "worker":
            return gettext(N_("no responsible worker"), language)
        if column.kind == "parish":
            return gettext(N_("no parish"), language)
        return NOTHING
    kind = column.kind
    if kind in ("client", "worker", "parish", "person"):
        return names.of(kind).get(value) or str(value)[:8]
    if kind == "date":
        return format_date(value, language)
    if kind == "money":
        return format_number(value, language, places=2)
    if kind == "hours":
        return format_number(value, language)
    if kind == "bool":
        return gettext(N_("yes") if value else N_("no"), language)
    if kind == "code":
        label = column.labels.get(value)
        return label_text(label, language) if label is not None else str(value)
    if kind == "message":
        return value.text(language, _param(language))
    return str(value)


def tables(report: Report) -> list[Table]:
    """The tables of any report in print order (an inspection report builds its own from the checks)."""
    return report.tables() if isinstance(report, InspectionReport) else report.tables


def table_text(table: Table, names: Names, language: str) -> list[str]:
    title = gettext(table.title, language)
    header = [gettext(column.title, language) for column in table.columns]
    body = [[cell(column, row.get(column.key), names, language) for column in table.columns] for row in table.rows]
    widths = [max(len(text) for text in column) for column in zip(header, *body)]

    def line(values: list[str]) -> str:
        parts = [value.rjust(width) if column.kind in NUMERIC else value.ljust(width)
                 for value, width, column in zip(values, widths, table.columns)]
        return "  ".join(parts).rstrip()

    lines = [title, "-" * len(title), line(header), line(["-" * width for width in widths])]
    lines += [line(values) for values in body] or [gettext(N_("(none)"), language)]
    return lines


HEADINGS = {"date": N_("Date"), "year": N_("Year"), "scope": N_("Scope"), "worker": N_("Worker")}
WHOLE_MUNICIPALITY = N_("the whole municipality")
VISIBLE_FILES = N_("the files you may see")
NO_FINDINGS = N_("No findings: every check passed.")


def headings(report: Report, lang: str) -> dict[str, tuple[str, str]]:
    """The lines under the title — date, year, scope, worker — as key → (label, value), so the text and the
    printed report say the same."""
    scope = report.scope
    values: dict[str, object] = {"date": format_date(report.on, lang)}
    if report.year is not None:
        values["year"] = report.year
    if scope.whole_municipality:
        values["scope"] = scope.municipality or gettext(WHOLE_MUNICIPALITY, lang)
    else:
        values["scope"] = gettext(VISIBLE_FILES, lang)
    if scope.worker_id is not None:
        values["worker"] = report.names.workers.get(scope.worker_id) or str(scope.worker_id)
    return {key: (gettext(HEADINGS[key], lang), str(value)) for key, value in values.items()}


def to_text(report: Report, lang: str = DEFAULT_LANGUAGE) -> str:
    """The report as aligned plain-text tables with headings in ``lang``."""
    title = gettext(report.title, lang)
    lines = [title, "=" * len(title), *(f"{label}: {value}" for label, value in headings(report, lang).values())]
    if isinstance(report, InspectionReport) and report.total == 0:
        lines += ["", gettext(NO_FINDINGS, lang)]
    for table in tables(report):
        lines += ["", *table_text(table, report.names, lang)]
    return "\n".join(lines) + "\n"


# -- JSON -------------------------------------------------------------------------------------------------------------
def _value(value: Any, kind: str | None = None) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (Decimal, float)):
        return f"{Decimal(str(value)):.2f}" if kind == "money" else float(round(Decimal(str(value)), 2))
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": {key: _value(item) for key, item in value.params.items()},
                "text": value.text("en")}
    return str(value)


def _ids(mapping: dict) -> dict[str, Any]:
    return {str(key): value for key, value in mapping.items()}


def _table_data(table: Table) -> dict[str, Any]:
    return {"id": table.id, "title": titles(table.title),
            "columns": [{"key": c.key, "title": titles(c.title), "kind": c.kind} for c in table.columns],
            "rows": [{c.key: _value(row.get(c.key), c.kind) for c in table.columns} for row in table.rows]}


def to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: ids as strings, dates ISO, money as exact strings."""
    names = report.names
    data = {
        "kind": report.kind, "title": titles(report.title), "date": report.on.isoformat(), "year": report.year,
        "scope": {"whole_municipality": report.scope.whole_municipality, "municipality": report.scope.municipality,
                  "worker_id": _value(report.scope.worker_id)},
        "names": {"clients": _ids(names.clients), "workers": _ids(names.workers), "parishes": _ids(names.parishes),
                  "persons": _ids(names.persons)},
    }
    if isinstance(report, InspectionReport):
        data["total"] = report.total
        data["by_worker"] = _counts(report.by_worker(), "worker_id")
        data["by_parish"] = _counts(report.by_parish(), "parish_id")
        data["checks"] = [{
            "id": check.id, "title": check.titles, "count": check.count,
            "by_worker": _counts(check.by_worker(), "worker_id"), "by_parish": _counts(check.by_parish(), "parish_id"),
            "findings": [{"entity": f.entity, "record_id": str(f.record_id), "client_id": _value(f.client_id),
                          "worker_id": _value(f.worker_id), "parish_id": _value(f.parish_id), "day": _value(f.day),
                          "message": _value(f.message)} for f in check.findings],
        } for check in report.checks]
    else:
        data["tables"] = [_table_data(table) for table in report.tables]
    return data


def _counts(counter, key: str) -> list[dict[str, Any]]:
    return [{key: _value(item), "count": count} for item, count in sorted(counter.items(), key=lambda kv: str(kv[0]))]


def to_json(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
