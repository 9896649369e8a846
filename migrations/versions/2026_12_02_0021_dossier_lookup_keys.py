"""dossiers.lookup_key: the second factor of the public lookup, printed on every slip

Revision ID: 0021_dossier_lookup_keys
Revises: 0020_dvcqg_exchange
Create Date: 2026-12-02
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0021_dossier_lookup_keys"
down_revision = "0020_dvcqg_exchange"
branch_labels = None
depends_on = None

# As motcua.dossiers.lookup_keys at the time of writing (a migration does not follow later
# changes of the code).
KEY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
KEY_LENGTH = 6
BATCH = 1000


def _key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def upgrade() -> None:
    # NOT NULL from the start, with an empty default for the rows already there: SQLite adds
    # such a column in place. Making it NOT NULL afterwards would rebuild `dossiers` on SQLite
    # (batch mode), whose DROP TABLE, with foreign keys on, fails once any row of another
    # table refers to a dossier.
    op.add_column("dossiers", sa.Column("lookup_key", sa.String(length=8), nullable=False, server_default=""))
    # Every existing dossier gets its own random key, batch by batch in id order (memory
    # bounded by a batch whatever the history's size).
    bind = op.get_bind()
    dossiers = sa.table("dossiers", sa.column("id", sa.Uuid()), sa.column("lookup_key", sa.String(8)))
    update = (sa.update(dossiers).where(dossiers.c.id == sa.bindparam("row_id"))
              .values(lookup_key=sa.bindparam("key")))
    after = None
    while True:
        query = sa.select(dossiers.c.id).where(dossiers.c.lookup_key == "").order_by(dossiers.c.id).limit(BATCH)
        if after is not None:
            query = query.where(dossiers.c.id > after)
        ids = list(bind.execute(query).scalars())
        if not ids:
            break
        bind.execute(update, [{"row_id": i, "key": _key()} for i in ids])
        after = ids[-1]
    if bind.dialect.name != "sqlite":  # SQLite cannot drop a default in place; an empty key never matches
        op.alter_column("dossiers", "lookup_key", server_default=None, existing_type=sa.String(length=8),
                        existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("lookup_key")
