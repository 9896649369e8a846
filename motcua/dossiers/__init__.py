"""dossiers domain."""
