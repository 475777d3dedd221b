import datetime as dt

import pytest

from app.context import Context


@pytest.fixture
def ctx(store):
    """Services context for anna (social worker + administrator) with a fixed 'today'."""
    return Context(store, today=lambda: dt.date(2026, 11, 23))
