"""The genogram: generations as rows, no two symbols or names overlapping for a realistic family (and for random
ones), the standard symbols, relatives missing from this laptop drawn as unknown, and the one-page PDF."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid

import pytest
from reportlab.graphics.shapes import Circle, Group, Line, Polygon, Rect, String

from app.errors import InvalidTransition, NotFound
from forms import genogram as genogram_module
from forms.genogram import SLOT, GenogramData, Member, Tie, genogram, genogram_data, genogram_drawing, layout
from storage.models import AuditEvent, Person
from tests.forms.case_fixtures import family, set_row, three_generations
from tests.forms.conftest import fonts_of, page_count, text_of

__all__ = ["family"]
pytestmark = pytest.mark.usefixtures("lv")


def uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_no_overlap(plan) -> None:
    boxes = [plan.symbol_box(pid) for pid in plan.nodes] + [plan.label_box(pid) for pid in plan.nodes]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not overlaps(a, b), (i, j, a, b)


def shapes(node) -> list:
    """Every leaf shape of a drawing."""
    if isinstance(node, Group) or hasattr(node, "contents"):
        return [leaf for child in node.contents for leaf in shapes(child)]
    return [node]


def test_three_generations_with_two_partners_and_five_children_never_overlap():
    data = three_generations()
    plan = layout(data)
    assert_no_overlap(plan)
    row = {data.members[pid].given_name: node.row for pid, node in plan.nodes.items()}
    assert row == {"Voldemārs": 0, "Ilga": 0, "Ērika": 1, "Aivars": 1, "Jānis": 1, "Pēteris": 1,
                   "Anna": 2, "Kārlis": 2, "Līga": 2, "Oskars": 2, "Marta": 2}
    x = {data.members[pid].given_name: node.x for pid, node in plan.nodes.items()}
    # the client stands between her former husband and her partner, each beside her
    assert x["Jānis"] < x["Ērika"] < x["Pēteris"] and x["Pēteris"] - x["Jānis"] == pytest.approx(2 * SLOT)
    # children of each couple side by side, the eldest on the left, under their own parents
    assert x["Anna"] < x["Kārlis"] < x["Līga"] < x["Oskars"] < x["Marta"]
    assert x["Jānis"] - SLOT < (x["Anna"] + x["Kārlis"]) / 2 < x["Ērika"] + SLOT / 2
    assert x["Ērika"] - SLOT / 2 < x["Oskars"] < x["Pēteris"] + SLOT
    # the grandparents above their two children
    assert x["Voldemārs"] < x["Ilga"] and x["Ilga"] - x["Voldemārs"] == pytest.approx(SLOT)
    assert min(x["Aivars"], x["Ērika"]) < (x["Voldemārs"] + x["Ilga"]) / 2 < max(x["Aivars"], x["Ērika"])
    both = {union.parents: sorted(data.members[c].given_name for c in union.children) for union in plan.unions}
    assert sorted(both.values()) == [["Aivars", "Ērika"], ["Anna", "Kārlis"], ["Līga", "Marta", "Oskars"]]


@pytest.mark.parametrize("seed", range(40))
def test_random_families_never_overlap_and_every_person_is_drawn(seed):
    rng = random.Random(seed)
    members, ties, number = {}, [], itertools.count(1)

    def person(gender=None):
        pid = uid(next(number))
        members[pid] = Member(pid, "Vārds", "Uzvārdiņš", gender or rng.choice(["male", "female", "other", None]),
                              dt.date(rng.randrange(1930, 2024), 1, 1), missing=rng.random() < 0.05)
        return pid

    def couple_with_children(parent, depth):
        for _partner in range(rng.choice([0, 1, 1, 2])):
            other = person()
            ties.append(Tie(parent, rng.choice(["spouse", "cohabitant"]), other,
                            dt.date(2000, 1, 1) if rng.random() < 0.3 else None))
            for _child in range(rng.randrange(0, 5)):
                child = person()
                ties.extend([Tie(parent, "parent", child), Tie(child, "child", other)])
                if depth and rng.random() < 0.4:
                    couple_with_children(child, depth - 1)
        if rng.random() < 0.3:
            ties.append(Tie(parent, rng.choice(["foster_parent", "guardian", "grandparent"]), person()))

    index = person("female")
    grand = person("male")
    ties.append(Tie(grand, "parent", index))
    for _sibling in range(rng.randrange(0, 4)):
        ties.append(Tie(index, "sibling", person()))
    couple_with_children(index, 2)
    data = GenogramData(index, members, ties)
    plan = layout(data)
    assert set(plan.nodes) == set(members)
    assert_no_overlap(plan)
    genogram_drawing(data)  # draws without failing, whatever the family


def test_standard_symbols_double_border_cross_and_unknown_relatives():
    data = three_generations()
    missing = uid(99)
    data.members[missing] = Member(missing, missing=True)
    data.ties.append(Tie(missing, "parent", uid(3)))  # Pēteris's mother: her record is not on this laptop
    drawing = genogram_drawing(data, max_width=10_000)
    leaves = shapes(drawing)
    squares = [s for s in leaves if isinstance(s, Rect)]
    circles = [s for s in leaves if isinstance(s, Circle)]
    diamonds = [s for s in leaves if isinstance(s, Polygon)]
    assert len(squares) == 6 and len(circles) == 5 + 1 and len(diamonds) == 1  # the client has two circles
    assert diamonds[0].strokeDashArray  # the unknown relative is dashed
    centres = {}
    for circle in circles:
        centres.setdefault((circle.cx, circle.cy), []).append(circle.r)
    assert sorted(len(radii) for radii in centres.values()) == [1, 1, 1, 1, 2]  # the client's double border
    texts = [s.text for s in leaves if isinstance(s, String)]
    assert "Šķēle-Ģīle" in texts and "1950–2018" in texts and "nav šajā datorā" in texts and "?" in texts
    lines = [s for s in leaves if isinstance(s, Line)]
    assert any(line.strokeDashArray for line in lines)  # the partner she lives with: a dashed line
    assert len(lines) >= 2 + 16  # the deceased father's cross, and every partner and child line


def test_a_wide_family_is_scaled_to_the_room_given():
    data = three_generations()
    full = genogram_drawing(data, max_width=10_000)
    narrow = genogram_drawing(data, max_width=200)
    assert narrow.width == pytest.approx(200) and narrow.height < full.height


def test_the_genogram_is_read_from_the_store_both_ways_and_survives_missing_relatives(ctx, erika, family):
    with ctx.read() as session:
        data = genogram_data(session, family["Ērika"])
    assert set(data.members) == {pid for name, pid in family.items() if name != "household"}
    assert {m.given_name for m in data.members.values() if m.household} == {"Ērika", "Pēteris", "Līga", "Oskars",
                                                                            "Marta"}
    assert data.members[family["Voldemārs"]].died == dt.date(2018, 1, 9)
    set_row(ctx, Person, family["Jānis"], deleted=True)  # evicted from this laptop: a tombstone is all that is left
    with ctx.read() as session:
        data = genogram_data(session, family["Ērika"])
    assert data.members[family["Jānis"]].missing and not data.members[family["Jānis"]].given_name
    assert_no_overlap(layout(data))


def test_the_genogram_prints_on_one_page_with_exact_latvian_and_a_legend_and_is_audited(ctx, erika, family):
    pdf = genogram(ctx, erika)
    text = text_of(pdf)
    assert page_count(pdf) == 1
    for expected in ("GENOGRAMMA", "Ērika Šķēle-Ģīle", "Šķēle-Ģīle", "Voldemārs", "Ķēniņš", "1950–2018", "Pēteris",
                     "Ģīle", "Kārlis", "dzīvo klienta mājsaimniecībā", "šķīrušies vai dzīvo atsevišķi", "kopdzīvē",
                     "Sagatavots", "23.11.2026.", "Lapa 1 no 1"):
        assert expected in text, expected
    assert "MELNRAKSTS" not in text
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values())
    with ctx.read() as session:
        events = session.query(AuditEvent).filter(AuditEvent.action == "print").all()
    assert [(e.entity, e.entity_id, e.client_id, e.details) for e in events] == [
        ("clients", erika, erika, {"kind": "genogram"})]


def test_a_client_without_recorded_relations_is_refused_before_anything_is_rendered(ctx, erika, monkeypatch):
    monkeypatch.setattr(genogram_module, "render", lambda *a, **k: pytest.fail("rendered"))
    with pytest.raises(InvalidTransition) as refused:
        genogram(ctx, erika)
    assert "relations" in refused.value.english()
    with ctx.read() as session:
        assert session.query(AuditEvent).count() == 0
    with pytest.raises(NotFound):
        genogram(ctx, uid(12345))
