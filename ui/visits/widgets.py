"""The answer controls of the checklist, made for a laptop on a kitchen table: big targets, one key per answer.

A yes/no, 1–5 or choice question is one focusable :class:`AnswerBar` (Tab reaches it once; a digit, Y/N or
Backspace answers it), a text question a :class:`TextAnswer` (Tab leaves it). A :class:`QuestionRow` puts the
question, its answer and a note together and tells the checklist when either changed; saving is the checklist's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from app.i18n import _
from forms.labels import in_language
from forms.home_visit import YES_NO

#: the smallest height of anything a finger or an old touchpad has to hit (issue 6 §5: large targets)
MIN_TARGET = 40
#: a pause in typing this long saves a text answer or note (a dead battery loses at most this much)
SAVE_DELAY_MS = 400
YES_KEYS = (Qt.Key.Key_Y, Qt.Key.Key_J)  # "Jā" in Latvian
NO_KEYS = (Qt.Key.Key_N,)
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


#: large print for the whole checklist (points scale with the screen's DPI, so 125 % scaling keeps the ratio)
STYLE = """
* { font-size: 13pt; }
QLabel[role="heading"] { font-size: 16pt; font-weight: bold; }
QLabel[role="section"] { font-size: 16pt; font-weight: bold; margin-top: 10px; }
QLabel[role="question"] { font-weight: bold; }
QLabel[role="warning"] { color: #b00020; font-weight: bold; }
QFrame#question[missing="true"] { border: 3px solid #b00020; }
AnswerBar QPushButton { border: 1px solid palette(mid); border-radius: 4px; padding: 4px 16px;
                        background: palette(button); }
AnswerBar QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);
                                font-weight: bold; }
"""


def tall(widget: QWidget) -> QWidget:
    """At least :data:`MIN_TARGET` px tall; a bigger font makes it taller by itself."""
    widget.setMinimumHeight(MIN_TARGET)
    return widget


def role(widget: QWidget, name: str) -> QWidget:
    """Styled by :data:`STYLE` (a heading, a section title, a warning…)."""
    widget.setProperty("role", name)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    return widget


def options_of(question: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(stored value, label, key hint) of each answer a question offers."""
    kind = question.get("kind")
    if kind == "yes_no":
        return [("yes", _(YES_NO["yes"]), _("Y")), ("no", _(YES_NO["no"]), "N")]
    if kind == "scale_1_5":
        return [(str(n), str(n), "") for n in range(1, 6)]
    options = []
    for number, option in enumerate(question.get("options", []), start=1):
        value = option["id"] if isinstance(option, dict) else str(option)
        label = in_language(option) if isinstance(option, dict) else str(option)
        options.append((value, label, str(number) if number < 10 else ""))
    return options


class AnswerBar(QWidget):
    """A row of big buttons answered by one key: digits pick the n-th answer, Y/J and N answer yes/no,
    Backspace or Delete clears, ←/→ step through the answers."""

    sig_picked = Signal(object)  # the stored value, or None when cleared

    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = question.get("kind")
        self.options = options_of(question)
        self._value: str | None = None
        self.read_only = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.buttons: list[QPushButton] = []
        for value, label, key in self.options:
            button = tall(QPushButton(f"{label}  [{key}]" if key and self.kind == "yes_no" else
                                      (f"{key}  {label}" if self.kind == "choice" else label)))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumWidth(MIN_TARGET + 16)
            button.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        if self.kind == "choice" and len(self.options) > 3:  # long labels: let them wrap onto two rows
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: str | None) -> None:
        """Show a stored answer without announcing it (loading is not answering)."""
        self._value = value if any(value == v for v, _l, _k in self.options) else None
        for (option, _label, _key), button in zip(self.options, self.buttons):
            button.setChecked(option == self._value)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for button in self.buttons:
            button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)

    def pick(self, value: str | None) -> None:
        if self.read_only:
            return
        self.set_value(value)
        self.sig_picked.emit(self._value)

    def _clicked(self, value: str) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.pick(None if value == self._value else value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key, values = event.key(), [v for v, _l, _k in self.options]
        index = values.index(self._value) if self._value in values else -1
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
        elif self.kind == "yes_no" and key in YES_KEYS:
            self.pick("yes")
        elif self.kind == "yes_no" and key in NO_KEYS:
            self.pick("no")
        elif key in DIGITS and DIGITS[key] <= len(values):
            self.pick(values[DIGITS[key] - 1])
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.pick(None)
        elif key == Qt.Key.Key_Right:
            self.pick(values[min(index + 1, len(values) - 1)])
        elif key == Qt.Key.Key_Left and index > 0:
            self.pick(values[index - 1])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        """A thick frame around the answer that has the keyboard: seen from across the table."""
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setPen(QPen(self.palette().highlight().color(), 3))
            painter.drawRoundedRect(self.rect().adjusted(1, 1, -2, -2), 4, 4)


class TextAnswer(QPlainTextEdit):
    """A free-text answer a few lines tall; Tab leaves it, as everywhere else in the checklist."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(max(MIN_TARGET * 2, self.fontMetrics().lineSpacing() * 3 + 16))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMaximumHeight(self.minimumHeight())

    def value(self) -> str:
        return self.toPlainText()


class QuestionRow(QFrame):
    """One question with its answer and note. ``sig_edited(row)`` asks to save it now: an answer was picked, a
    pause in typing ended (:attr:`timer`) or the keyboard left a text field."""

    sig_edited = Signal(object)

    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.qid: str = question["id"]
        self.kind = question.get("kind")
        self.required = bool(question.get("required"))
        self.saved: tuple[str | None, str | None] = (None, None)  # what the store holds, as last confirmed
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(lambda: self.sig_edited.emit(self))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("question")
        layout = QVBoxLayout(self)
        self.label = QLabel(in_language(question.get("text")) + (" *" if self.required else ""))
        self.label.setWordWrap(True)
        role(self.label, "question")
        self.missing = role(QLabel(_("Required — not answered yet")), "warning")
        self.missing.hide()
        if self.kind == "text":
            self.answer: AnswerBar | TextAnswer = TextAnswer()
            self.answer.textChanged.connect(self._typed)
        else:
            self.answer = AnswerBar(question)
            self.answer.sig_picked.connect(lambda _value: self._picked())
        self.label.setBuddy(self.answer)
        self.answer.setAccessibleName(self.label.text())
        self.note = tall(QLineEdit())
        self.note.setPlaceholderText(_("Note"))
        self.note.setAccessibleName(_("Note"))
        self.note.textEdited.connect(self._typed)
        for editor in (self.answer, self.note):
            editor.installEventFilter(self)
        layout.addWidget(self.label)
        layout.addWidget(self.missing)
        if self.kind == "text":
            layout.addWidget(self.answer)
            layout.addWidget(self.note)
        else:  # buttons and the note side by side: more questions fit on a small screen
            line = QHBoxLayout()
            line.addWidget(self.answer, 0)
            line.addWidget(self.note, 1)
            layout.addLayout(line)

    # what is shown
    def value(self) -> str | None:
        return self.answer.value()

    def note_text(self) -> str:
        return self.note.text()

    def current(self) -> tuple[str | None, str | None]:
        """The answer and note as the store would hold them (blank is no answer)."""
        value, note = self.value(), self.note_text()
        return (value if value and value.strip() else None, note if note.strip() else None)

    def set_answer(self, value: str | None, note: str | None) -> None:
        """Show what the store holds without it counting as an edit."""
        self.saved = (value, note)
        with QSignalBlocker(self.answer), QSignalBlocker(self.note):
            if isinstance(self.answer, TextAnswer):
                if self.answer.toPlainText() != (value or ""):
                    self.answer.setPlainText(value or "")
            else:
                self.answer.set_value(value)
            if self.note.text() != (note or ""):
                self.note.setText(note or "")
        self.set_missing(False)

    def set_read_only(self, read_only: bool) -> None:
        if isinstance(self.answer, TextAnswer):
            self.answer.setReadOnly(read_only)
        else:
            self.answer.set_read_only(read_only)
        self.note.setReadOnly(read_only)

    def set_missing(self, missing: bool) -> None:
        self.missing.setVisible(missing)
        self.setProperty("missing", missing)
        self.style().unpolish(self)
        self.style().polish(self)

    def busy(self) -> bool:
        """Being typed in: a refresh must not overwrite it."""
        return self.timer.isActive() or self.answer.hasFocus() or self.note.hasFocus()

    # edits
    def _picked(self) -> None:
        self.timer.stop()
        self.set_missing(False)
        self.sig_edited.emit(self)

    def _typed(self, *_args) -> None:
        self.timer.start()

    def flush(self) -> None:
        """Save now what is waiting for a pause in typing."""
        if self.timer.isActive():
            self.timer.stop()
            self.sig_edited.emit(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False
