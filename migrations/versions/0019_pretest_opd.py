"""pretest_attempt.opd_id (where the learner worked when offered the pre-test) and the
covering index of the gain figures, replacing ix_pretest_attempt_course

Revision ID: 5b0d9e2c7a41
Revises: 1eec4b1b7f31
Create Date: 2026-12-02 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b0d9e2c7a41'
down_revision = '1eec4b1b7f31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pretest_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opd_id', sa.Integer(), nullable=True))
    # Existing rows: the learner's unit now, the nearest known to the one at the time.
    op.execute("UPDATE pretest_attempt SET opd_id = (SELECT employee.opd_id FROM employee "
               "WHERE employee.id = pretest_attempt.employee_id)")
    with op.batch_alter_table('pretest_attempt', schema=None) as batch_op:
        batch_op.alter_column('opd_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_pretest_attempt_opd_id_opd'), 'opd',
                                    ['opd_id'], ['id'])
        batch_op.drop_index('ix_pretest_attempt_course')
        batch_op.create_index('ix_pretest_attempt_gain',
                              ['course_id', 'opd_id', 'score', 'skipped', 'tested_out_at',
                               'post_score'], unique=False)


def downgrade():
    with op.batch_alter_table('pretest_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_pretest_attempt_gain')
        batch_op.create_index('ix_pretest_attempt_course', ['course_id', 'employee_id'],
                              unique=False)
        batch_op.drop_constraint(batch_op.f('fk_pretest_attempt_opd_id_opd'),
                                 type_='foreignkey')
        batch_op.drop_column('opd_id')
