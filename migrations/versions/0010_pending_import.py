"""pending employee imports (the checked file, applied without choosing it again)

Revision ID: 3c5d7e9f1a2b
Revises: e8b65514187e
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '3c5d7e9f1a2b'
down_revision = 'e8b65514187e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('deactivate_missing', sa.Boolean(), nullable=False),
    sa.Column('plan_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'],
                            name=op.f('fk_pending_import_employee_id_employee'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_import'))
    )
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_import_employee_id'), ['employee_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_import_employee_id'))
    op.drop_table('pending_import')
