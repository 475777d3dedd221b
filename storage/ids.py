"""Identity and order: device-made UUIDv7 row ids and a hybrid logical clock (HLC).

Conflicts are detected by base versions, never by clocks; the HLC only orders edits that really were
concurrent. Wall clocks on old laptops are wrong, so the clock never goes backwards and it advances past
every stamp it hears from elsewhere (ARCHITECTURE.md rule 3).
"""

from __future__ import annotations

import threading
import time
import uuid

from uuid6 import uuid7 as _uuid7


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7 (keeps B-tree inserts local and sorts by creation time)."""
    return uuid.UUID(bytes=_uuid7().bytes)


#: The largest counter the 6-digit text form holds; beyond it the clock carries into the milliseconds.
MAX_COUNTER = 999_999


def format_hlc(physical_ms: int, counter: int) -> str:
    """A stamp that sorts correctly as text: 15-digit milliseconds, 6-digit counter."""
    return f"{physical_ms:015d}.{counter:06d}"


def parse_hlc(stamp: str) -> tuple[int, int]:
    physical, _, counter = stamp.partition(".")
    return int(physical), int(counter)


class HybridLogicalClock:
    """Kulkarni et al.'s HLC: (physical ms, counter), monotonic even when the wall clock jumps back."""

    def __init__(self, last: str | None = None, wall_ms=None) -> None:
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._physical, self._counter = parse_hlc(last) if last else (0, 0)
        self._lock = threading.Lock()

    def now(self) -> str:
        """A new stamp, greater than every stamp issued or received before."""
        with self._lock:
            wall = self._wall_ms()
            if wall > self._physical:
                self._physical, self._counter = wall, 0
            else:
                self._counter += 1
            self._carry()
            return format_hlc(self._physical, self._counter)

    def receive(self, remote: str) -> None:
        """Advance past a stamp seen in a server response or a bundle."""
        r_physical, r_counter = parse_hlc(remote)
        with self._lock:
            wall = self._wall_ms()
            top = max(wall, self._physical, r_physical)
            if top == self._physical == r_physical:
                self._counter = max(self._counter, r_counter) + 1
            elif top == self._physical:
                self._counter += 1
            elif top == r_physical:
                self._counter = r_counter + 1
            else:
                self._counter = 0
            self._physical = top
            self._carry()

    def ahead_ms(self, stamp: str) -> int:
        """How far ``stamp`` is ahead of this clock's wall time (negative when behind)."""
        return parse_hlc(stamp)[0] - self._wall_ms()

    def _carry(self) -> None:
        """Keep stamps sortable as text: a counter past six digits moves the clock on by a millisecond."""
        if self._counter > MAX_COUNTER:
            self._physical, self._counter = self._physical + 1, 0

    @property
    def last(self) -> str:
        return format_hlc(self._physical, self._counter)
