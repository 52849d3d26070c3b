"""champions: assisted sessions and their JP setting

Revision ID: 7e3aef285d3a
Revises: 885b4c03b8e3
Create Date: 2026-12-02 06:36:13

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e3aef285d3a'
down_revision = '885b4c03b8e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('champion_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jp_enabled', sa.Boolean(), nullable=False),
    sa.Column('minutes_per_jp', sa.Integer(), nullable=False),
    sa.Column('yearly_cap', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_champion_settings'))
    )
    op.create_table('assisted_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('counts_jp', sa.Boolean(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['employee.id'], name=op.f('fk_assisted_session_champion_id_employee')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_assisted_session_course_id_course')),
    sa.ForeignKeyConstraint(['unit_id'], ['opd.id'], name=op.f('fk_assisted_session_unit_id_opd')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assisted_session')),
    sa.UniqueConstraint('champion_id', 'form_token', name=op.f('uq_assisted_session_champion_id'))
    )
    with op.batch_alter_table('assisted_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assisted_session_champion_id'), ['champion_id'], unique=False)
        batch_op.create_index('ix_assisted_session_unit_held', ['unit_id', 'held_on'], unique=False)

    op.create_table('assisted_colleague',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('jp_awarded', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_assisted_colleague_employee_id_employee')),
    sa.ForeignKeyConstraint(['session_id'], ['assisted_session.id'], name=op.f('fk_assisted_colleague_session_id_assisted_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'employee_id', name=op.f('pk_assisted_colleague'))
    )
    with op.batch_alter_table('assisted_colleague', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assisted_colleague_employee_id'), ['employee_id'], unique=False)



def downgrade():
    with op.batch_alter_table('assisted_colleague', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assisted_colleague_employee_id'))

    op.drop_table('assisted_colleague')
    with op.batch_alter_table('assisted_session', schema=None) as batch_op:
        batch_op.drop_index('ix_assisted_session_unit_held')
        batch_op.drop_index(batch_op.f('ix_assisted_session_champion_id'))

    op.drop_table('assisted_session')
    op.drop_table('champion_settings')
