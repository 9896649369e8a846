"""Feedback and petitions (PAKN: phản ánh, kiến nghị) about a procedure, a dossier, an agency
or an officer: sent by anyone, routed to the responsible agency, handled in stages whose time
limits are data (`feedback_stages`, docs/feedback.md), answered, published, rated helpful."""
