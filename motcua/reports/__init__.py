"""Statistics of dossiers (issue 13): counting rules, the statistics table, its exports."""
