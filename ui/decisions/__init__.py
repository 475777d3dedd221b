"""Applications, means tests and decisions: the client's tab, the decision's own screen and the head's approval
queue (issue 6 §6). Data comes from ``app.assistance`` / ``app.decisions`` through ``ui.ops``."""
