"""The Qt binding itself: a session of emitted signals must not corrupt the interpreter.

PySide6 6.12.0's ``Signal.emit()`` returned its True/False without a reference of its own, so every emit from
Python took one away: after a few thousand (every worker result is an emit) the interpreter freed ``True`` and
the application aborted. pyproject.toml keeps PySide6 below 6.12; this test fails on any binding that does it.
"""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    sig_value = Signal(object)


def test_emitting_signals_leaves_the_interpreters_constants_alone(qapp):
    emitter = Emitter()
    received = []
    emitter.sig_value.connect(lambda value: received.append(value is None))
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for _ in range(2000):
        emitter.sig_value.emit(None)
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(received) == 2000 and all(received)
    # a binding may keep extra references (harmless: True is never freed); it must not take any away
    assert all(a >= b - 50 for a, b in zip(after, before)), (before, after)
