"""Citizens' and businesses' own accounts, signed in with the national identity (VNeID)."""
