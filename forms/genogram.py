"""The genogram (DOMAIN.md §2–§3): the client's family drawn from the recorded relations, with the standard
symbols — a square for a man, a circle for a woman, a diamond when the gender is not recorded, a double border
for the client, a cross over a deceased person — partners joined by a line (dashed for cohabitation, crossed
by two strokes when the partnership ended), and children hanging from their parents' line, older to the left.

Generations are rows. :func:`layout` orders each row by where its parents and children stand and then places
whole families (partners side by side) with a fixed gap, so no two symbols or names ever overlap however large
the family; the drawing is scaled to the room it gets. A relative whose record is not on this laptop (out of
its scope) is drawn as an unknown person instead of failing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import audit
from app.cases import visible_client
from app.context import Context
from app.errors import InvalidTransition, NotFound
from app.i18n import N_, _
from app.people import ENTITY_PERSON
from forms.blocks import facts
from forms.labels import date_text, person_name
from forms.charts import new_drawing
from forms.pdf import SANS, letterhead, para, register_fonts, render, styles
from storage.models import HouseholdMember, Person, Relation

DOCUMENT_KIND = "genogram"
#: relation kinds a genogram draws ("other" says nothing about where a person stands in the family)
KINDS = ("spouse", "cohabitant", "parent", "child", "sibling", "grandparent", "grandchild", "guardian", "ward",
         "foster_parent", "foster_child")
HOPS = 2  # the client's parents, children, partners and siblings, and theirs: grandparents, grandchildren
LIMIT = 60  # persons at most (a relation graph can chain through a whole village)

SYMBOL = 20.0  # points
SLOT = 60.0  # the room of one person and their name
ROW = 96.0  # from one generation to the next
GAP_SIBLINGS = 6.0
GAP_FAMILIES = 22.0
LINK_DROP = 6.0  # partner line below the symbols, above the names
LABEL_TOP = 10.0  # names start this far below the symbol
LABEL_SIZE = 7.0
LABEL_WIDTH = SLOT - 6.0
EDGE = 8.0
INK = colors.Color(0.1, 0.1, 0.1)
HOUSEHOLD_FILL = colors.Color(0.85, 0.89, 0.95)
DIAMOND = 1.15  # a diamond reaches this much further than a square of the same size, to look as large


@dataclass(frozen=True)
class Member:
    id: uuid.UUID
    given_name: str = ""
    surname: str = ""
    gender: str | None = None
    born: dt.date | None = None
    died: dt.date | None = None
    household: bool = False  # lives in the client's household now
    missing: bool = False  # related, but the record is not on this laptop


@dataclass(frozen=True)
class Tie:
    """One stored relation: ``person`` is ``kind`` of ``related``."""

    person: uuid.UUID
    kind: str
    related: uuid.UUID
    until: dt.date | None = None


@dataclass
class GenogramData:
    index: uuid.UUID
    members: dict[uuid.UUID, Member]
    ties: list[Tie]

    @property
    def has_relations(self) -> bool:
        return bool(self.ties)


def genogram_data(session: Session, person_id: uuid.UUID, *, hops: int = HOPS, limit: int = LIMIT) -> GenogramData:
    """The family around ``person_id`` as far as ``hops`` relations reach (both directions of each relation are
    read, so a missing inverse row changes nothing)."""
    index = session.get(Person, person_id)
    if index is None or index.deleted:
        raise NotFound(entity_msg=ENTITY_PERSON)
    alive = (Relation.deleted.is_(False), Relation.kind.in_(KINDS))
    seen, frontier = {person_id}, {person_id}
    for _hop in range(hops):
        found = set()
        for person, related in session.execute(select(Relation.person_id, Relation.related_person_id).where(
                *alive, or_(Relation.person_id.in_(frontier), Relation.related_person_id.in_(frontier)))):
            found |= {person, related}
        frontier = set(sorted(found - seen)[:max(limit - len(seen), 0)])
        seen |= frontier
    rows = session.scalars(select(Relation).where(*alive, Relation.person_id.in_(seen),
                                                  Relation.related_person_id.in_(seen)))
    ties = sorted({Tie(r.person_id, r.kind, r.related_person_id, r.until) for r in rows},
                  key=lambda t: (str(t.person), str(t.related), t.kind))
    households = select(HouseholdMember.household_id).where(
        HouseholdMember.person_id == person_id, HouseholdMember.left_on.is_(None), HouseholdMember.deleted.is_(False))
    home = set(session.scalars(select(HouseholdMember.person_id).where(
        HouseholdMember.household_id.in_(households), HouseholdMember.left_on.is_(None),
        HouseholdMember.deleted.is_(False))))
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(seen), Person.deleted.is_(False)))}
    members = {}
    for pid in seen:
        p = people.get(pid)
        members[pid] = Member(pid, missing=True) if p is None else Member(
            pid, p.given_name, p.surname, p.gender, p.birth_date, p.deceased_on, household=pid in home)
    return GenogramData(person_id, members, ties)


# -- layout -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    id: uuid.UUID
    x: float  # centre of the symbol; y grows downwards from the top of the drawing
    y: float
    row: int


@dataclass
class Union:
    """Parents (none, one or two) and their children; no parents: siblings whose parents are not recorded."""

    parents: tuple[uuid.UUID, ...]
    children: list[uuid.UUID] = field(default_factory=list)
    foster: set[uuid.UUID] = field(default_factory=set)  # in foster care or guardianship: a dashed line


@dataclass
class Layout:
    data: GenogramData
    nodes: dict[uuid.UUID, Node]
    unions: list[Union]
    partners: dict[frozenset, tuple[str, bool]]  # pair -> (spouse | cohabitant, ended)
    care: list[tuple[uuid.UUID, uuid.UUID, str]]  # carer, child, kind (foster_parent | guardian | grandparent)
    width: float
    height: float

    def symbol_box(self, pid: uuid.UUID) -> tuple[float, float, float, float]:
        node, member = self.nodes[pid], self.data.members[pid]
        half = (SYMBOL / 2 + (3 if pid == self.data.index else 0)) * (
            1.0 if member.gender in ("male", "female") and not member.missing else DIAMOND)
        return node.x - half, node.y - half, node.x + half, node.y + half

    def label_box(self, pid: uuid.UUID) -> tuple[float, float, float, float]:
        node, lines = self.nodes[pid], len(label_lines(self.data.members[pid]))
        top = node.y + SYMBOL / 2 + LABEL_TOP
        return node.x - LABEL_WIDTH / 2, top, node.x + LABEL_WIDTH / 2, top + lines * LABEL_SIZE * 1.2


class _Family:
    """The relations of a genogram normalised: parents of each child, partners, siblings, other carers."""

    def __init__(self, data: GenogramData) -> None:
        self.parents: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        self.partners: dict[frozenset, tuple[str, bool]] = {}
        self.siblings: set[frozenset] = set()
        self.care: set[tuple[uuid.UUID, uuid.UUID, str]] = set()
        self.loose: set[tuple[uuid.UUID, uuid.UUID, str]] = set()  # care not drawn from a parents' line
        inverse = {"child": "parent", "grandchild": "grandparent", "ward": "guardian", "foster_child": "foster_parent"}
        for tie in data.ties:
            kind, a, b = tie.kind, tie.person, tie.related
            if a == b or a not in data.members or b not in data.members:
                continue  # nobody to draw at one end
            if kind in inverse:
                kind, a, b = inverse[kind], b, a
            if kind == "parent":
                if a not in self.parents[b]:
                    self.parents[b].append(a)
            elif kind in ("spouse", "cohabitant"):
                pair = frozenset((a, b))
                before = self.partners.get(pair, ("cohabitant", False))
                self.partners[pair] = ("spouse" if "spouse" in (kind, before[0]) else "cohabitant",
                                       before[1] or tie.until is not None)
            elif kind == "sibling":
                self.siblings.add(frozenset((a, b)))
            else:
                self.care.add((a, b, kind))
        for child, parents in self.parents.items():  # at most two parents are drawn as the child's parents
            self.parents[child] = parents[:2]
        # a grandparent tie says nothing new when the parent between them is drawn
        self.care = {(a, b, kind) for a, b, kind in self.care
                     if kind != "grandparent" or not any(a in self.parents.get(p, []) for p in self.parents.get(b, []))}

    def steps(self) -> dict[uuid.UUID, list[tuple[uuid.UUID, int]]]:
        """Each person's neighbours with the generation step to them."""
        steps: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = defaultdict(list)

        def link(a: uuid.UUID, b: uuid.UUID, step: int) -> None:
            steps[a].append((b, step))
            steps[b].append((a, -step))

        for child, parents in self.parents.items():
            for parent in parents:
                link(parent, child, 1)
        for pair in self.partners:
            link(*sorted(pair), 0)
        for pair in self.siblings:
            link(*sorted(pair), 0)
        for carer, child, kind in self.care:
            link(carer, child, 2 if kind == "grandparent" else 1)
        return steps


def layout(data: GenogramData) -> Layout:
    """Rows by generation, families kept together, every person in a slot of their own (see the module text)."""
    family = _Family(data)
    steps = family.steps()
    generation, order = _generations(data, steps)
    top = min(generation.values())
    row = {pid: gen - top for pid, gen in generation.items()}
    unions = _unions(family, data, order)
    union_of = {child: index for index, union in enumerate(unions) for child in union.children}
    born = {pid: (m.born or dt.date.max, order[pid]) for pid, m in data.members.items()}
    rows: dict[int, list[list[uuid.UUID]]] = defaultdict(list)
    for cluster in _clusters(data, family, row, order):
        rows[row[cluster[0]]].append(cluster)
    def first_by_family(cluster: list[uuid.UUID]) -> tuple:
        key = _family_key(cluster, union_of)
        member = next((m for m in cluster if union_of.get(m) == key), cluster[0])
        return (0, key) if isinstance(key, int) else (1, order[member]), born[member]

    for clusters in rows.values():  # first by family, then older brothers and sisters to the left
        clusters.sort(key=first_by_family)
    x: dict[uuid.UUID, float] = {}
    for clusters in rows.values():
        _place(clusters, [0.0] * len(clusters), x, union_of, force_order=True)
    last = max(rows)
    for _sweep in range(4):
        for r in range(1, last + 1):
            _sweep_row(rows[r], x, unions, union_of, family, down=True)
        for r in range(last - 1, -1, -1):
            _sweep_row(rows[r], x, unions, union_of, family, down=False)
    for r in range(1, last + 1):
        _sweep_row(rows[r], x, unions, union_of, family, down=True)
    left = min(x.values()) - SLOT / 2
    nodes = {pid: Node(pid, x[pid] - left + EDGE, EDGE + SYMBOL / 2 + 3 + row[pid] * ROW, row[pid]) for pid in x}
    width = max(n.x for n in nodes.values()) + SLOT / 2 + EDGE
    height = EDGE + 3 + last * ROW + SYMBOL + LABEL_TOP + 4 * LABEL_SIZE * 1.2 + EDGE
    care = sorted(family.loose, key=lambda c: (order[c[0]], order[c[1]]))
    return Layout(data, nodes, unions, family.partners, care, width, height)


def _generations(data: GenogramData, steps: dict) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    """Generation of each person counted from the client (breadth first: the nearest relation decides), and
    the order in which they were reached (the tie-breaker everywhere, so the drawing is deterministic)."""
    generation: dict[uuid.UUID, int] = {}
    order: dict[uuid.UUID, int] = {}
    starts = [data.index] + sorted(data.members, key=str)
    for start in starts:
        if start in generation:
            continue
        generation[start], queue = 0, [start]
        order[start] = len(order)
        while queue:
            current = queue.pop(0)
            for neighbour, step in sorted(steps.get(current, []), key=lambda s: (str(s[0]), s[1])):
                if neighbour not in generation and neighbour in data.members:
                    generation[neighbour] = generation[current] + step
                    order[neighbour] = len(order)
                    queue.append(neighbour)
    return generation, order


def _unions(family: _Family, data: GenogramData, order: dict) -> list[Union]:
    """Children by their pair of parents; siblings without recorded parents share their sibling's parents, or
    hang from a line of their own."""
    by_parents: dict[tuple, Union] = {}
    for child in sorted(family.parents, key=order.get):
        parents = tuple(sorted(family.parents[child], key=order.get))
        if parents:
            by_parents.setdefault(parents, Union(parents)).children.append(child)
    home = {child: parents for parents, union in by_parents.items() for child in union.children}
    groups = _components(family.siblings)
    for group in groups:
        known = Counter(home[m] for m in group if m in home)
        orphans = sorted((m for m in group if m not in home), key=order.get)
        if known:
            by_parents[max(known, key=lambda k: (known[k], -min(order[p] for p in k)))].children.extend(orphans)
        elif len(orphans) > 1:
            by_parents[("siblings", orphans[0])] = Union((), orphans)
    home = {child for union in by_parents.values() for child in union.children}
    for carer, child, kind in sorted(family.care, key=lambda c: (order[c[0]], order[c[1]])):
        if kind == "grandparent" or child in home:
            family.loose.add((carer, child, kind))
            continue
        keys = [key for key, u in by_parents.items() if carer in u.parents]  # the carer's family, or the carer
        key = max(keys, key=lambda k: (len(k), len(by_parents[k].children))) if keys else (carer,)
        union = by_parents.setdefault(key, Union((carer,)))
        union.children.append(child)
        union.foster.add(child)
        home.add(child)
    return [by_parents[key] for key in by_parents if by_parents[key].children and all(
        c in data.members for c in by_parents[key].children)]


def _components(pairs: Iterable[frozenset]) -> list[set]:
    parent: dict[Any, Any] = {}

    def find(a: Any) -> Any:
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    for pair in pairs:
        a, b = sorted(pair, key=str)
        parent[find(a)] = find(b)
    groups: dict[Any, set] = defaultdict(set)
    for member in parent:
        groups[find(member)].add(member)
    return list(groups.values())


def _clusters(data: GenogramData, family: _Family, row: dict, order: dict) -> list[list[uuid.UUID]]:
    """People side by side in a row: a person with their partners (an earlier partner on the left), or alone."""
    same_row = [pair for pair in family.partners if len({row[p] for p in pair}) == 1]
    paired = _components(same_row)
    alone = [[pid] for pid in data.members if not any(pid in group for group in paired)]
    return [_chain(group, family, data, order) for group in paired] + alone


def _chain(group: set, family: _Family, data: GenogramData, order: dict) -> list[uuid.UUID]:
    def ended(a: uuid.UUID, b: uuid.UUID) -> bool:
        return family.partners.get(frozenset((a, b)), ("", False))[1]

    neighbours = {m: [o for o in group if frozenset((m, o)) in family.partners] for m in group}
    if len(group) == 2:
        a, b = sorted(group, key=lambda m: (data.members[m].gender != "male", order[m]))
        return [a, b]
    if all(len(n) <= 2 for n in neighbours.values()) and sum(map(len, neighbours.values())) == 2 * (len(group) - 1):
        ends = [m for m in group if len(neighbours[m]) == 1]
        start = min(ends, key=lambda m: (not ended(m, neighbours[m][0]), data.members[m].died is None, order[m]))
        chain = [start]
        while len(chain) < len(group):
            chain.append(next(n for n in neighbours[chain[-1]] if n not in chain))
        return chain
    hub = max(group, key=lambda m: (len(neighbours[m]), -order[m]))
    others = sorted((m for m in group if m != hub), key=lambda m: (not ended(hub, m), order[m]))
    half = max(1, len([m for m in others if ended(hub, m)])) if len(others) > 1 else 0
    return others[:half] + [hub] + others[half:]


def _sweep_row(clusters: list, x: dict, unions: list[Union], union_of: dict, family: _Family, *, down: bool) -> None:
    """Move each cluster towards its parents (down) or its children (up), then re-place the row without overlap."""
    shifts = []
    for cluster in clusters:
        _face_families(cluster, x, unions, union_of, family)
        wanted = []
        for member in cluster:
            if down and member in union_of:
                union = unions[union_of[member]]
                if union.parents and all(p in x for p in union.parents):
                    mean = sum(x[c] for c in union.children) / len(union.children)
                    wanted.append(_anchor(union, x, family.partners) - mean)
            elif not down:
                for union in unions:
                    if member in union.parents:
                        mean = sum(x[c] for c in union.children) / len(union.children)
                        wanted.append(mean - _anchor(union, x, family.partners))
            for carer, child, _kind in family.loose:
                if down and child == member and member not in union_of:
                    wanted.append(x[carer] - x[member])
                elif not down and carer == member:
                    wanted.append(x[child] - x[member])
        shifts.append(sum(wanted) / len(wanted) if wanted else 0.0)
    centres = [sum(x[m] for m in c) / len(c) + s for c, s in zip(clusters, shifts)]
    _place(clusters, centres, x, union_of, sides=[_side(c, x, unions, union_of, family) for c in clusters])


def _face_families(cluster: list, x: dict, unions: list[Union], union_of: dict, family: _Family) -> None:
    """A couple stands each partner on the side of their own parents, next to their brothers and sisters."""
    if len(cluster) != 2:
        return
    centre = (x[cluster[0]] + x[cluster[1]]) / 2
    pull = []
    for member in cluster:
        union = unions[union_of[member]] if member in union_of else None
        pull.append(_anchor(union, x, family.partners) - centre if union and union.parents else 0.0)
    if pull[0] > pull[1] and (pull[0] > 0 or pull[1] < 0):
        cluster.reverse()
        x[cluster[0]], x[cluster[1]] = x[cluster[1]], x[cluster[0]]


def _side(cluster: list, x: dict, unions: list[Union], union_of: dict, family: _Family) -> int:
    """Which edge of its family a cluster belongs at: a partner whose own parents stand to the right pulls the
    couple to the right end of the row of siblings (and to the left likewise), so lines do not cross."""
    home = _family_key(cluster, union_of)
    if not isinstance(home, int) or not unions[home].parents:
        return 0
    outside = [_anchor(unions[union_of[m]], x, family.partners) for m in cluster
               if m in union_of and union_of[m] != home and unions[union_of[m]].parents]
    if not outside:  # otherwise the end of the couple that belongs to the family faces the brothers and sisters
        at = next(k for k, m in enumerate(cluster) if union_of.get(m) == home)
        return 0 if 0 < at < len(cluster) - 1 or len(cluster) == 1 else (1 if at == 0 else -1)
    pull = sum(outside) / len(outside) - _anchor(unions[home], x, family.partners)
    return (pull > 0) - (pull < 0)


def _anchor(union: Union, x: dict, partners: dict) -> float:
    """Where the children's line leaves the parents: mid-way between two parents, beside a single one."""
    if len(union.parents) == 2:
        return (x[union.parents[0]] + x[union.parents[1]]) / 2
    parent = union.parents[0]
    beside = [x[o] for pair in partners for o in pair if parent in pair and o != parent and o in x]
    children = sum(x[c] for c in union.children) / len(union.children)
    side = 1.0 if children >= x[parent] else -1.0
    if any(abs(p - (x[parent] + side * SLOT)) < 1 for p in beside):
        side = -side  # the side towards a partner is where the couple's own children hang
    return x[parent] + side * SLOT / 2


def _place(clusters: list, centres: list[float], x: dict, union_of: dict, *, force_order: bool = False,
           sides: list[int] | None = None) -> None:
    """Put the clusters of a row in order of their wished centres (families kept together) as near to those
    centres as fixed gaps allow: isotonic regression (pool adjacent violators) on the left edges."""
    if not force_order:
        group_centre: dict[Any, list[float]] = defaultdict(list)
        keys = [_family_key(c, union_of) for c in clusters]
        for key, centre in zip(keys, centres):
            group_centre[key].append(centre)
        mean = {key: sum(v) / len(v) for key, v in group_centre.items()}
        sides = sides or [0] * len(clusters)
        ranked = sorted(range(len(clusters)), key=lambda i: (mean[keys[i]], sides[i], i))
        clusters[:], centres = [clusters[i] for i in ranked], [centres[i] for i in ranked]
    offsets, total = [], 0.0
    for i, cluster in enumerate(clusters):
        offsets.append(total)
        same = i + 1 < len(clusters) and _family_key(cluster, union_of) == _family_key(clusters[i + 1], union_of)
        total += len(cluster) * SLOT + (GAP_SIBLINGS if same else GAP_FAMILIES)
    targets = [centre - (len(c) - 1) * SLOT / 2 - off for c, centre, off in zip(clusters, centres, offsets)]
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for target, cluster in zip(targets, clusters):
        blocks.append([target * len(cluster), float(len(cluster)), 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
    i = 0
    for weighted, weight, count in blocks:
        for _n in range(count):
            left = weighted / weight + offsets[i]
            for k, member in enumerate(clusters[i]):
                x[member] = left + k * SLOT
            i += 1


def _family_key(cluster: list[uuid.UUID], union_of: dict) -> Any:
    """The family a cluster stands with in its row: the parents of its first member who has any."""
    for member in cluster:
        if member in union_of:
            return union_of[member]
    return ("alone", cluster[0])


# -- drawing ----------------------------------------------------------------------------------------------------
def label_lines(member: Member) -> list[str]:
    """Given name, surname and the years under a symbol; a missing record says why it has no name."""
    if member.missing:
        return [_("not on this laptop")]
    years = str(member.born.year) if member.born else ""
    if member.died:
        years = f"{years}–{member.died.year}" if years else f"† {member.died.year}"
    return [line for line in (member.given_name, member.surname, years) if line]


def _fit(text: str, size: float) -> tuple[str, float]:
    """Shrink a long name to fit the slot, and shorten it with an ellipsis only as the last resort."""
    while size > 5.0 and stringWidth(text, SANS, size) > LABEL_WIDTH:
        size -= 0.5
    while len(text) > 2 and stringWidth(text, SANS, size) > LABEL_WIDTH:
        text = text[:-2] + "…"
    return text, size


def genogram_drawing(session_or_data: Session | GenogramData, person_id: uuid.UUID | None = None, *,
                     max_width: float = 170 * mm, max_height: float = 200 * mm, max_scale: float = 1.0) -> Drawing:
    """The genogram of ``person_id`` as a reportlab Drawing, scaled down to the room given (and up to
    ``max_scale`` when a small family leaves room, so a page of its own is easy to read)."""
    register_fonts()
    data = session_or_data if isinstance(session_or_data, GenogramData) else genogram_data(session_or_data,
                                                                                           person_id)
    plan = layout(data)
    scale = min(max_scale, max_width / plan.width, max_height / plan.height)
    shapes = Group(transform=(scale, 0, 0, scale, 0, 0))
    flip = plan.height  # layout y grows downwards, a Drawing's upwards

    def line(x1: float, y1: float, x2: float, y2: float, dash: list | None = None) -> None:
        shapes.add(Line(x1, flip - y1, x2, flip - y2, strokeColor=INK, strokeWidth=0.9, strokeDashArray=dash))

    _links(plan, line)
    for pid, node in plan.nodes.items():
        _symbol(shapes, data.members[pid], node.x, flip - node.y, index=pid == data.index)
        top = flip - (node.y + SYMBOL / 2 + LABEL_TOP)
        for k, text in enumerate(label_lines(data.members[pid])):
            text, size = _fit(text, LABEL_SIZE)
            shapes.add(String(node.x, top - LABEL_SIZE - k * LABEL_SIZE * 1.2, text, fontName=SANS, fontSize=size,
                              textAnchor="middle", fillColor=INK))
    drawing = new_drawing(plan.width * scale, plan.height * scale, centred=True)
    drawing.add(shapes)
    return drawing


def _links(plan: Layout, line: Any) -> None:
    nodes, half = plan.nodes, SYMBOL / 2
    for pair, (kind, ended) in plan.partners.items():
        a, b = sorted(pair, key=lambda p: nodes[p].x)
        na, nb = nodes[a], nodes[b]
        dash = [3, 2] if kind == "cohabitant" else None
        if na.row != nb.row:  # inconsistent data: still show that they are partners
            line(na.x, na.y, nb.x, nb.y, dash)
            continue
        level = na.y + half + LINK_DROP + 4 * max(0, round((nb.x - na.x) / SLOT) - 1)
        index = plan.data.index
        line(na.x, na.y + half + (3 if a == index else 0), na.x, level)
        line(nb.x, nb.y + half + (3 if b == index else 0), nb.x, level)
        line(na.x, level, nb.x, level, dash)
        if ended:
            middle = (na.x + nb.x) / 2 + (SLOT / 4 if _has_children(plan, pair) else 0)
            for offset in (-2.5, 2.5):
                line(middle + offset - 2.5, level + 4, middle + offset + 2.5, level - 4)
    for rank, union in enumerate(plan.unions):
        children = [nodes[c] for c in union.children]
        bar = min(c.y for c in children) - half - 14 - 4 * (rank % 3)
        if union.parents:
            parents = [nodes[p] for p in union.parents]
            if len(parents) == 2:
                start_x = (parents[0].x + parents[1].x) / 2
                start_y = max(p.y for p in parents) + half + LINK_DROP
            else:
                xs = {pid: n.x for pid, n in nodes.items()}
                start_x = _anchor(union, xs, plan.partners)
                start_y = parents[0].y
                line(parents[0].x + (half if start_x > parents[0].x else -half), start_y, start_x, start_y)
            line(start_x, start_y, start_x, bar)
            xs_bar = [start_x] + [c.x for c in children]
        else:
            xs_bar = [c.x for c in children]
        line(min(xs_bar), bar, max(xs_bar), bar)
        for child in children:
            line(child.x, bar, child.x, child.y - half - (3 if child.id == plan.data.index else 0),
                 [4, 2] if child.id in union.foster else None)
    for carer, child, kind in plan.care:  # from below the carer's name, so the line never strikes it out
        a, b = nodes[carer], nodes[child]
        line(a.x, plan.label_box(carer)[3] + 2, b.x, b.y - half, [1, 2] if kind == "grandparent" else [4, 2])


def _has_children(plan: Layout, pair: frozenset) -> bool:
    return any(set(u.parents) == set(pair) for u in plan.unions)


def _symbol(group: Group, member: Member, x: float, y: float, *, index: bool) -> None:
    half = SYMBOL / 2
    fill = HOUSEHOLD_FILL if member.household else colors.white
    dash = [2, 2] if member.missing else None
    kind = "missing" if member.missing else member.gender

    def outline(h: float, filled: bool) -> Any:
        style = dict(strokeColor=INK, strokeWidth=1.1, fillColor=fill if filled else None, strokeDashArray=dash)
        if kind == "male":
            return Rect(x - h, y - h, 2 * h, 2 * h, **style)
        if kind == "female":
            return Circle(x, y, h, **style)
        return Polygon([x, y + h * DIAMOND, x + h * DIAMOND, y, x, y - h * DIAMOND, x - h * DIAMOND, y], **style)

    if index:
        group.add(outline(half + 3, False))
    group.add(outline(half, True))
    if member.missing:
        group.add(String(x, y - 3.5, "?", fontName=SANS, fontSize=10, textAnchor="middle", fillColor=INK))
    if member.died:
        inset = half * (0.7 if kind == "female" else 1.0)
        group.add(Line(x - inset, y - inset, x + inset, y + inset, strokeColor=INK, strokeWidth=1.1))
        group.add(Line(x - inset, y + inset, x + inset, y - inset, strokeColor=INK, strokeWidth=1.1))


def legend_drawing(width: float = 170 * mm) -> Drawing:
    """What the symbols and lines mean, drawn with the same symbols."""
    register_fonts()
    items = [("male", False, False, _("man")), ("female", False, False, _("woman")),
             ("other", False, False, _("gender not recorded")), ("female", True, False, _("the client")),
             ("male", False, True, _("deceased")), ("household", False, False, _("lives in the client's household"))]
    column = width / 3
    drawing = new_drawing(width, 4 * 16 + 4, centred=True)
    group = Group()
    for k, (kind, index, died, text) in enumerate(items):
        cx, cy = 8 + (k % 3) * column, drawing.height - 10 - (k // 3) * 16
        member = Member(uuid.UUID(int=k), gender=kind if kind != "household" else "female",
                        died=dt.date(2000, 1, 1) if died else None, household=kind == "household")
        small = Group(transform=(0.5, 0, 0, 0.5, cx * 0.5, cy * 0.5))
        _symbol(small, member, cx, cy, index=index)
        group.add(small)
        group.add(String(cx + 12, cy - 3, text, fontName=SANS, fontSize=7.5, fillColor=INK))
    lines = [(None, False, _("married")), ([3, 2], False, _("living together")),
             (None, True, _("separated or divorced")), ([4, 2], False, _("foster care or guardianship")),
             ([1, 2], False, _("grandparent (the parent between is not recorded)"))]
    for k, (dash, ended, text) in enumerate(lines):
        cx, cy = 2 + (k % 3) * column, drawing.height - 42 - (k // 3) * 16
        group.add(Line(cx, cy, cx + 16, cy, strokeColor=INK, strokeWidth=0.9, strokeDashArray=dash))
        if ended:
            for offset in (5.5, 10.5):
                group.add(Line(cx + offset - 2, cy - 3.5, cx + offset + 2, cy + 3.5, strokeColor=INK, strokeWidth=0.9))
        group.add(String(cx + 22, cy - 3, text, fontName=SANS, fontSize=7.5, fillColor=INK))
    drawing.add(group)
    return drawing


# -- the document -----------------------------------------------------------------------------------------------
def genogram(ctx: Context, client_id: uuid.UUID) -> bytes:
    """The client's genogram as a one-page PDF (in memory); audited as a print of the client's file."""
    with ctx.read() as session:
        client = visible_client(ctx, session, client_id)
        person = session.get(Person, client.person_id)
        data = genogram_data(session, person.id)
        head = letterhead(session)
    if not data.has_relations:
        raise InvalidTransition(reason_msg=N_(
            "no relations are recorded for the client; record the family (partner, children, parents) first."))
    name, today = person_name(person), ctx.today()

    def story() -> list:
        st = styles()
        return [para(_("GENOGRAM"), st.title),
                facts([(_("Client"), name), (_("Prepared on"), date_text(today))], st), Spacer(1, 6 * mm),
                genogram_drawing(data, max_height=170 * mm, max_scale=1.5), Spacer(1, 6 * mm), legend_drawing()]

    pdf = render(story, title=_("Genogram"), head=head)
    audit.record(ctx, "print", entity="clients", entity_id=client.id, client_id=client.id,
                 details={"kind": DOCUMENT_KIND})
    return pdf
