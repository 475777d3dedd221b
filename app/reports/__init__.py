"""Reports as plain data: the inspection-readiness report (DOMAIN.md §6) and the service reports (§7).

Every report is a dataclass of tables with typed columns and rows of ids, codes, dates and numbers; display
names are resolved once (``model.Names``) and text comes from the gettext catalog at rendering time, so the
CLI (``render``), the desktop UI and the printed documents show the same figures. No Qt, no reportlab.
"""

from app.reports.inspection import CHECKS, InspectionReport, inspection_report
from app.reports.model import Column, Finding, Message, Names, Table, TableReport
from app.reports.service import complaints_register, statistics_report, workload_report

__all__ = ["CHECKS", "Column", "Finding", "InspectionReport", "Message", "Names", "Table", "TableReport",
           "complaints_register", "inspection_report", "statistics_report", "workload_report"]
