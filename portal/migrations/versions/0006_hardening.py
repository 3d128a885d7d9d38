"""hardening: a per-user session token, so logout and password changes end sessions

Revision ID: 0006
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
