"""articles in the database: the articles table and its change sequence

Revision ID: 0008
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('articles',
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('disk_fingerprint', sa.String(length=40), nullable=True),
    sa.Column('problem', sa.String(length=1000), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('path', name=op.f('pk_articles'))
    )
    op.create_index('ix_articles_seq', 'articles', ['seq'], unique=True)
    op.create_index('ix_articles_slug', 'articles', ['slug'], unique=False)
    op.create_table('article_sequence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_sequence'))
    )


def downgrade():
    op.drop_table('article_sequence')
    op.drop_index('ix_articles_slug', table_name='articles')
    op.drop_index('ix_articles_seq', table_name='articles')
    op.drop_table('articles')
