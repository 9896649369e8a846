"""The national payment platform (shared/reference/dvcqg.md §9): interface, adapter, wire format, simulator."""
