"""Documents are printed from the same decisions the assistance tests make: their fixtures, shared here."""

from tests.app.test_assistance import application, client, ctx, head, person  # noqa: F401  (pytest fixtures)
