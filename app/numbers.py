"""Registration numbers that never collide offline (issue 3 §4; docs/architecture.md "Registration numbers").

A number reads ``SERIES/YEAR/NNNN`` (``IES/2026/0123`` for an application, ``LEM/2026/0042`` for a
decision). Numbers come from **blocks leased to one device**: the central service hands each device blocks
of consecutive numbers per series and year, and a device only ever numbers from its own blocks — so two
laptops that were offline at the same time can never give the same number, and the registers stay short
and readable. :func:`lease_block` is the one allocation rule; the central service runs it for enrolled
devices, and a standalone store (one that has never received a block from anyone else) runs it for itself.

An enrolled device that runs out of numbers while offline does not stop work: it numbers in its own
overflow form ``SERIES/YEAR/T-XXXXXXXX-NNN``, where ``XXXXXXXX`` is drawn from the random part of the
device's UUID (32 bits), unique to the device and visibly provisional. The sync engine asks for a fresh block
whenever fewer than a quarter of a block remain (:func:`blocks_running_low`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import reference
from storage.models import NumberBlock, NumberOverflow, utcnow

LOW_WATER = 0.25


def series_for(kind: str, session: Session | None = None) -> str:
    """The register series of ``application`` or ``decision`` (municipal reference data)."""
    numbering = reference.document("assistance_lv", session)["numbering"]
    return numbering[f"{kind}_series"]


def block_size(session: Session | None = None) -> int:
    return int(reference.document("assistance_lv", session)["numbering"]["block_size"])


def format_number(series: str, year: int, number: int) -> str:
    return f"{series}/{year}/{number:04d}"


def lease_block(session: Session, device_id: uuid.UUID, series: str, year: int, size: int, *,
                leased_at: dt.datetime | None = None) -> NumberBlock:
    """Lease the next ``size`` numbers of ``series``/``year`` to ``device_id`` (never reuses a number,
    deleted blocks included). Run by whoever is the centre: the central service, or a standalone store."""
    if size < 1:
        raise ValueError("block size must be positive")
    last = session.scalar(select(func.max(NumberBlock.last_number)).where(
        NumberBlock.series == series, NumberBlock.year == year)) or 0
    block = NumberBlock(series=series, year=year, first_number=last + 1, last_number=last + size,
                        device_id=device_id, leased_at=leased_at or utcnow())
    session.add(block)
    session.flush()
    return block


def _own_blocks(session: Session, device_id: uuid.UUID, series: str, year: int) -> list[NumberBlock]:
    return list(session.scalars(select(NumberBlock).where(
        NumberBlock.device_id == device_id, NumberBlock.series == series, NumberBlock.year == year,
        NumberBlock.deleted.is_(False)).order_by(NumberBlock.first_number)))


def _remaining(block: NumberBlock) -> int:
    return block.last_number - (block.next_number or block.first_number) + 1


def is_standalone(session: Session, device_id: uuid.UUID) -> bool:
    """A store that never received a block leased by someone else is its own centre."""
    foreign = session.scalar(select(NumberBlock.id).where(
        NumberBlock.device_id == device_id,
        (NumberBlock.author_device_id != device_id) | NumberBlock.author_device_id.is_(None)).limit(1))
    return foreign is None


def take_numbers(session: Session, device_id: uuid.UUID, series: str, year: int, count: int = 1) -> list[str]:
    """The next ``count`` numbers of this device in ``series``/``year``, in order, inside the caller's
    transaction (a rolled-back write gives its numbers back)."""
    numbers: list[str] = []
    blocks = [b for b in _own_blocks(session, device_id, series, year) if _remaining(b) > 0]
    standalone = None
    while len(numbers) < count:
        if not blocks:
            if standalone is None:
                standalone = is_standalone(session, device_id)
            if not standalone:
                return numbers + overflow_numbers(session, device_id, series, year, count - len(numbers))
            blocks = [lease_block(session, device_id, series, year, max(block_size(session), count - len(numbers)))]
        block = blocks[0]
        start = block.next_number or block.first_number
        take = min(_remaining(block), count - len(numbers))
        numbers.extend(format_number(series, year, n) for n in range(start, start + take))
        block.next_number = start + take
        if _remaining(block) == 0:
            blocks.pop(0)
    return numbers


def device_tag(device_id: uuid.UUID) -> str:
    """32 bits from the random tail of the device's UUIDv7 (the head is a timestamp, shared by devices
    set up the same minute)."""
    return f"{device_id.int & 0xFFFFFFFF:08X}"


def overflow_numbers(session: Session, device_id: uuid.UUID, series: str, year: int, count: int) -> list[str]:
    """Numbers for an enrolled device that ran out of leased numbers offline (see the module docstring)."""
    key = f"{series}/{year}"
    counter = session.get(NumberOverflow, key) or NumberOverflow(series_year=key, used=0)
    used = counter.used
    counter.used = used + count
    session.add(counter)
    prefix = f"{series}/{year}/T-{device_tag(device_id)}-"
    return [f"{prefix}{used + i:03d}" for i in range(1, count + 1)]


def blocks_running_low(session: Session, device_id: uuid.UUID, year: int,
                       series: tuple[str, ...] | None = None) -> list[str]:
    """The series for which this device should ask the centre for a new block (fewer than a quarter left)."""
    wanted = series or (series_for("application", session), series_for("decision", session))
    low = []
    for name in wanted:
        left = sum(_remaining(b) for b in _own_blocks(session, device_id, name, year))
        if left < block_size(session) * LOW_WATER:
            low.append(name)
    return low
