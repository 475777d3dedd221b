"""The assistance tests' people: anna (social worker) and ilze (head of service) on the same laptop's store, a
client with an address and a one-person household. Every UI task runs synchronously (``ops.inline``)."""

from __future__ import annotations

import pytest

from tests.app.test_assistance import client, ctx, head, household, person  # noqa: F401  (pytest fixtures)
from ui import ops

__all__ = ["client", "ctx", "head", "household", "person"]  # the fixtures borrowed from the assistance tests


@pytest.fixture
def synchronous():
    with ops.inline():
        yield


class StandInShell:
    """What the pages call on the main window, recorded."""

    def __init__(self) -> None:
        self.opened: list = []
        self.statuses: list[str] = []

    def open_decision(self, decision_id) -> None:
        self.opened.append(decision_id)

    def retitle(self, page) -> None:
        pass

    def show_status(self, text: str) -> None:
        self.statuses.append(text)


@pytest.fixture
def shell():
    return StandInShell()


