"""leaders first: opd_head (heads of OPDs and units, with history), leader_settings,
assignment.heads_first_days

Revision ID: 1eec4b1b7f31
Revises: 7e3aef285d3a
Create Date: 2026-12-02 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1eec4b1b7f31'
down_revision = '7e3aef285d3a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opd_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_opd_head_employee_id_employee')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_opd_head_opd_id_opd')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['employee.id'], name=op.f('fk_opd_head_recorded_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opd_head'))
    )
    with op.batch_alter_table('opd_head', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opd_head_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opd_head_opd_id'), ['opd_id'], unique=False)
        batch_op.create_index('uq_opd_head_current', ['opd_id'], unique=True,
                              sqlite_where=sa.text('ended_on IS NULL'),
                              postgresql_where=sa.text('ended_on IS NULL'))

    op.create_table('leader_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_head_completion', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['employee.id'], name=op.f('fk_leader_settings_updated_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leader_settings'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heads_first_days', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('heads_first_days')
    op.drop_table('leader_settings')
    with op.batch_alter_table('opd_head', schema=None) as batch_op:
        batch_op.drop_index('uq_opd_head_current')
        batch_op.drop_index(batch_op.f('ix_opd_head_opd_id'))
        batch_op.drop_index(batch_op.f('ix_opd_head_employee_id'))
    op.drop_table('opd_head')
