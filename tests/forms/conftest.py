"""Documents are printed from the same decisions the assistance tests make: their fixtures, shared here, with the
helpers that read a PDF back."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import people
from app.people import PersonInput
from tests.app.test_assistance import application, client, ctx, head, person  # noqa: F401  (pytest fixtures)

__all__ = ["application", "client", "ctx", "head", "person"]  # the fixtures this conftest lends its tests

LETTERS = "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ"


@pytest.fixture
def erika(ctx):
    """A client whose name alone needs every kind of Latvian letter a font can miss."""
    person_id = people.create_person(ctx, PersonInput("Ērika", "Šķēle-Ģīle", personal_code="120379-10007",
                                                      address="„Ūdriņas”, Ļaudonas pag., Madonas nov."))
    return people.register_client(ctx, person_id, client_type="voluntary", target_groups=["family_with_children"])


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Whitespace collapsed: text wrapped inside a table cell reads as one line again."""
    return " ".join(text.split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use → whether its glyphs are embedded in the file."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return found


def first_page_png(pdf: bytes, folder: Path, resolution: int = 50) -> Path:
    """The first page as a PNG (pdftoppm), for tests that look at what was drawn."""
    (folder / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile",
                    str(folder / "doc.pdf"), str(folder / "page")], check=True)
    (folder / "doc.pdf").unlink()
    return folder / "page.png"
