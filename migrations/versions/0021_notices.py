"""class_notice (a classroom session cancelled or moved, one row per session, person and
move; class_session counts its moves) and
certificate_notice (a certificate replaced, one row per new certificate); an index on
certificate.replaces_id

Revision ID: 3e7a9c1b5d20
Revises: 9c3f1a7d2e58
Create Date: 2026-12-04 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3e7a9c1b5d20'
down_revision = '9c3f1a7d2e58'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moves', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('moved_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('class_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_class_notice_employee_id_employee')),
    sa.ForeignKeyConstraint(['session_id'], ['class_session.id'], name=op.f('fk_class_notice_session_id_class_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_notice')),
    sa.UniqueConstraint('session_id', 'employee_id', 'kind', 'version', name='uq_class_notice')
    )
    with op.batch_alter_table('class_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_notice_employee_id'), ['employee_id'], unique=False)

    op.create_table('certificate_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_certificate_notice_certificate_id_certificate')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_certificate_notice_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_notice')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_certificate_notice_certificate_id'))
    )
    with op.batch_alter_table('certificate_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_notice_employee_id'), ['employee_id'], unique=False)

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_replaces_id'), ['replaces_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_replaces_id'))

    with op.batch_alter_table('certificate_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_notice_employee_id'))

    op.drop_table('certificate_notice')
    with op.batch_alter_table('class_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_notice_employee_id'))

    op.drop_table('class_notice')
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.drop_column('moved_at')
        batch_op.drop_column('moves')
