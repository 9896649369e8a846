"""The national login (VNeID through the National Public Service Portal): interface, adapter, simulator."""
