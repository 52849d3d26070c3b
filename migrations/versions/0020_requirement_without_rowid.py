"""requirement WITHOUT ROWID on SQLite (the rows in the primary key's b-tree); nothing
changes on PostgreSQL

Revision ID: 9c3f1a7d2e58
Revises: 5b0d9e2c7a41
Create Date: 2026-12-03 15:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9c3f1a7d2e58'
down_revision = '5b0d9e2c7a41'
branch_labels = None
depends_on = None


def _recreate(with_rowid: bool) -> None:
    # A rowid is a property of an SQLite table, set only when it is created: batch mode
    # copies the table into a new one (indexes and constraints reflected and kept).
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("requirement", recreate="always",
                              table_kwargs={"sqlite_with_rowid": with_rowid}):
        pass


def upgrade():
    _recreate(with_rowid=False)


def downgrade():
    _recreate(with_rowid=True)
