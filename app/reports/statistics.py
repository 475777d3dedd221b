"""The annual statistics for the state report on social services and social assistance (DOMAIN.md §7):
clients by service, gender, age group and target group; benefits granted by type, with amounts in EUR.

A client counts as served in a year when a service referral ran in it, a benefit was granted in it, or a
social case was open during it. Each table has a total row: a client with several services or target
groups appears in each of their rows but once in the total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, or_, select, union

from app.context import Context
from app.deadlines import age_on
from app.i18n import LANGUAGES, gettext
from app.reports.checks_assistance import GRANTING
from app.reports.model import Column, Scope, Table, TableReport
from app.reports.source import ASSISTANCE, Source, report_period, require_report_access
from storage.errors import N_
from storage.models import Client, Decision, Person, ServiceReferral, SocialCase

#: Age groups of the state report's tables — children, young adults, working age, pension age — as the
#: municipal strategy's tables (seeds/004) group them. A report layout, not a legal norm; age on 31 December.
AGE_BANDS = ((0, 17), (18, 24), (25, 61), (62, None))
TOTAL = "total"
UNKNOWN = "unknown"
TOTAL_LABEL = N_("Total (each client once)")
GENDER_LABELS = {"female": N_("women"), "male": N_("men"), "other": N_("other"), UNKNOWN: N_("not recorded"),
                 TOTAL: TOTAL_LABEL}
TARGET_GROUP_LABELS = {
    "family_with_children": N_("family with children"),
    "functional_impairment": N_("person with functional impairment"),
    "pensioner": N_("pensioner"),
    "addiction": N_("person with addiction"),
    "long_term_unemployed": N_("long-term unemployed person"),
    "violence_victim": N_("victim of violence"),
    "ex_prisoner": N_("former prisoner"),
    "youth_leaving_care": N_("young person leaving out-of-family care"),
    "homeless": N_("homeless person"),
    "low_income": N_("low-income person"),
    "other": N_("other"),
    UNKNOWN: N_("no target group recorded"),
    TOTAL: TOTAL_LABEL,
}


def band_code(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


def _band_labels() -> dict:
    labels = {band_code(low, high): ({language: f"{low}–{high}" for language in LANGUAGES} if high is not None else
                                     {language: gettext(N_("{age} and older"), language).format(age=low)
                                      for language in LANGUAGES})
              for low, high in AGE_BANDS}
    return {**labels, UNKNOWN: N_("not recorded"), TOTAL: TOTAL_LABEL}


def age_band(birth: dt.date | None, day: dt.date) -> str:
    if birth is None:
        return UNKNOWN
    age = age_on(birth, day)
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return band_code(low, high)
    return UNKNOWN


def _count_table(table_id: str, title: str, key: str, key_title: str, labels: dict, groups: dict[str, set],
                 order: list[str], everyone: set) -> Table:
    columns = (Column(key, key_title, "code", labels), Column("clients", N_("Clients"), "int"))
    rows = [{key: code, "clients": len(groups[code])} for code in order if groups.get(code)]
    rows.append({key: TOTAL, "clients": len(everyone)})
    return Table(table_id, title, columns, rows)


def statistics_report(ctx: Context, year: int, *, today: dt.date | None = None) -> TableReport:
    """The state report's tables for ``year`` over the clients the user may see (the head: all)."""
    require_report_access(ctx)
    start, end = report_period(year, today or ctx.today())
    with ctx.read() as session:
        src = Source(ctx, session, end)
        visible = select(Client.id).where(Client.deleted.is_(False), src.visible())
        referral_in_year = (ServiceReferral.deleted.is_(False), ServiceReferral.status != "refused",
                            func.coalesce(ServiceReferral.starts_on, ServiceReferral.referred_on) <= end,
                            or_(ServiceReferral.ends_on.is_(None), ServiceReferral.ends_on >= start),
                            ServiceReferral.client_id.in_(visible))
        granted_in_year = (Decision.status == "issued", Decision.kind.in_(GRANTING), Decision.deleted.is_(False),
                           Decision.issued_on >= start, Decision.issued_on <= end, Decision.client_id.in_(visible))
        served = union(
            select(ServiceReferral.client_id.label("client_id")).where(*referral_in_year),
            select(Decision.client_id.label("client_id")).where(*granted_in_year),
            select(SocialCase.client_id.label("client_id")).where(
                SocialCase.deleted.is_(False), SocialCase.opened_on <= end,
                or_(SocialCase.closed_on.is_(None), SocialCase.closed_on >= start), SocialCase.client_id.in_(visible)),
        ).subquery()
        clients = session.execute(select(Client.id, Person.gender, Person.birth_date, Client.target_groups)
                                  .join(Person, Person.id == Client.person_id)
                                  .where(Client.id.in_(select(served.c.client_id)))).all()
        services = defaultdict(set)
        for code, client_id in session.execute(select(ServiceReferral.service_code, ServiceReferral.client_id)
                                               .where(*referral_in_year)):
            services[code].add(client_id)
        benefits = defaultdict(lambda: {"decisions": 0, "recipients": set(), "cents": 0})
        for code, client_id, cents in session.execute(select(Decision.benefit_code, Decision.client_id,
                                                             Decision.amount_cents).where(*granted_in_year)):
            entry = benefits[code or UNKNOWN]
            entry["decisions"] += 1
            entry["recipients"].add(client_id)
            entry["cents"] += cents or 0
        catalogue = src.document(ASSISTANCE)["benefits"]
        service_catalogue = src.document(ASSISTANCE).get("services", [])
        scope = Scope(whole_municipality=src.sees_all, municipality=src.municipality())
    everyone = {client_id for client_id, *_rest in clients}
    genders, ages, groups = defaultdict(set), defaultdict(set), defaultdict(set)
    year_end = dt.date(year, 12, 31)
    for client_id, gender, birth, target_groups in clients:
        genders[gender or UNKNOWN].add(client_id)
        ages[age_band(birth, year_end)].add(client_id)
        for group in target_groups or [UNKNOWN]:
            groups[group].add(client_id)
    tables = [
        _count_table("by_service", N_("Clients by service"), "service", N_("Service"),
                     {**{e["code"]: e["name"] for e in service_catalogue}, TOTAL: TOTAL_LABEL}, services,
                     [e["code"] for e in service_catalogue if e["code"] in services]
                     + sorted(set(services) - {e["code"] for e in service_catalogue}), set().union(*services.values())),
        _count_table("by_gender", N_("Clients by gender"), "gender", N_("Gender"), GENDER_LABELS, genders,
                     ["female", "male", "other", UNKNOWN], everyone),
        _count_table("by_age", N_("Clients by age group"), "age_group", N_("Age group"), _band_labels(), ages,
                     [*(band_code(low, high) for low, high in AGE_BANDS), UNKNOWN], everyone),
        _count_table("by_target_group", N_("Clients by target group"), "target_group", N_("Target group"),
                     TARGET_GROUP_LABELS, groups, [code for code in TARGET_GROUP_LABELS if code != TOTAL]
                     + sorted(set(groups) - set(TARGET_GROUP_LABELS)), everyone),
        _benefit_table(benefits, catalogue),
    ]
    return TableReport("statistics", N_("Annual statistics of social services and social assistance"), end, year,
                       scope, tables)


def _benefit_table(benefits: dict, catalogue: list[dict]) -> Table:
    labels = {entry["code"]: entry["name"] for entry in catalogue}
    order = [entry["code"] for entry in catalogue] + sorted(set(benefits) - set(labels))
    columns = (Column("benefit", N_("Benefit"), "code", {**labels, UNKNOWN: N_("not recorded"), TOTAL: N_("Total")}),
               Column("decisions", N_("Decisions"), "int"), Column("recipients", N_("Recipients"), "int"),
               Column("amount", N_("Amount, EUR"), "money"))
    rows = [{"benefit": code, "decisions": benefits[code]["decisions"], "recipients": len(benefits[code]["recipients"]),
             "amount": Decimal(benefits[code]["cents"]) / 100} for code in order if code in benefits]
    rows.append({"benefit": TOTAL, "decisions": sum(b["decisions"] for b in benefits.values()),
                 "recipients": len(set().union(*(b["recipients"] for b in benefits.values()))),
                 "amount": Decimal(sum(b["cents"] for b in benefits.values())) / 100})
    return Table("benefits", N_("Benefits granted"), columns, rows)
