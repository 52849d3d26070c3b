"""certificate reissue: one valid certificate per person and course (a partial unique
index instead of the plain constraint), and the revoked one a correction replaces

Revision ID: c41f7d2e9a60
Revises: a7c3e1f0b9d2
Create Date: 2026-12-02 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41f7d2e9a60'
down_revision = 'a7c3e1f0b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_certificate_replaces_id_certificate'),
                                    'certificate', ['replaces_id'], ['id'])
        batch_op.drop_constraint('uq_certificate_employee_id', type_='unique')
        batch_op.create_index('uq_certificate_valid', ['employee_id', 'course_id'],
                              unique=True, sqlite_where=sa.text('revoked_at IS NULL'),
                              postgresql_where=sa.text('revoked_at IS NULL'))


def downgrade():
    # Only possible while no person holds a replaced certificate beside its original.
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('uq_certificate_valid')
        batch_op.create_unique_constraint('uq_certificate_employee_id',
                                          ['employee_id', 'course_id'])
        batch_op.drop_constraint(batch_op.f('fk_certificate_replaces_id_certificate'),
                                 type_='foreignkey')
        batch_op.drop_column('replaces_id')
