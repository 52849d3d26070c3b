"""course content stamp: a token that changes with every change of what learners see

Revision ID: a7c3e1f0b9d2
Revises: e5f6eab9f859
Create Date: 2026-12-10 09:00:00.000000

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e1f0b9d2'
down_revision = 'e5f6eab9f859'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_stamp', sa.String(length=32),
                                      server_default='', nullable=False))
    course = sa.table('course', sa.column('id', sa.Integer),
                      sa.column('content_stamp', sa.String))
    bind = op.get_bind()
    for (course_id,) in bind.execute(sa.select(course.c.id)).all():
        bind.execute(course.update().where(course.c.id == course_id)
                     .values(content_stamp=uuid.uuid4().hex))


def downgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('content_stamp')
