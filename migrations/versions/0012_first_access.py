"""first access: activation codes, bulk set-password links

Revision ID: 19a1c7f0d2b4
Revises: 0010_evaluation
Create Date: 2026-12-02 04:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = '19a1c7f0d2b4'
down_revision = '0010_evaluation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activation_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['employee.id'], name=op.f('fk_activation_code_by_id_employee')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_activation_code_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_code'))
    )
    with op.batch_alter_table('activation_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_code_employee_id'), ['employee_id'], unique=False)

    op.create_table('access_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['employee.id'], name=op.f('fk_access_link_by_id_employee')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_access_link_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_link'))
    )
    with op.batch_alter_table('access_link', schema=None) as batch_op:
        batch_op.create_index('ix_access_link_employee_at', ['employee_id', 'at'], unique=False)


def downgrade():
    op.drop_table('access_link')
    op.drop_table('activation_code')
