"""Home visits: the client's list of visits and the checklist filled in at the kitchen table (issue 6 §5)."""
