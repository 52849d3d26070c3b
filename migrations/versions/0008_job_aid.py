"""course job aid: RINGKAS.md's title and rendered HTML stored with the course

Revision ID: 6b1f0c2a9d3e
Revises: 0e823fd664f8
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b1f0c2a9d3e'
down_revision = '0e823fd664f8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_aid_title', sa.String(length=200),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('job_aid_html', sa.Text(), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('job_aid_html')
        batch_op.drop_column('job_aid_title')
