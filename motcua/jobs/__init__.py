"""Background jobs run by `motcua worker` (no broker: a plain loop over the database)."""
