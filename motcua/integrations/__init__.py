"""External systems, each behind an interface with a simulator that speaks its protocol.

One subpackage per system (`dvcqg`: the National Public Service Portal; `payment`: the
national payment platform; more follow): its
interface (what the application asks of the system, in domain terms), its adapter (the
wire format and transport, replaceable when the national schema changes), its settings
(from the environment only) and its simulator (`motcua sim <system> --port P`, and
in-process in tests). Nothing here reads or writes the application's database: the domains
that use a system (e.g. `motcua.dvcqg` for the catalogue sync) own what is stored.
"""
