"""insights speed: precomputed period query sums, a ticket's after-search flag, covering indexes

Indexes that cover the insights reports (tickets per day, category, status, language and
assignee; reply and resolution times; replies that link an article; votes per article),
so each report reads one index range instead of the rows.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('period_query_sums',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=80), nullable=False),
    sa.Column('sums', sa.JSON(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_query_sums')),
    sa.UniqueConstraint('first_day', 'last_day', 'lang', 'category',
                        name='uq_period_query_sums_key')
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('after_search', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    trail = "trail" if op.get_bind().dialect.name == "sqlite" else "CAST(trail AS TEXT)"
    op.execute(sa.text(f"UPDATE tickets SET after_search = :yes WHERE source = 'escalated' "
                       f"OR {trail} LIKE '%\"query\"%'").bindparams(yes=True))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_created_category')
        batch_op.drop_index('ix_tickets_solved')
        batch_op.create_index('ix_tickets_created_report', ['created_at', 'category', 'status',
                              'locale', 'assignee_id', 'first_reply_at', 'source',
                              'after_search', 'session_id'], unique=False)
        batch_op.create_index('ix_tickets_solved_report', ['solved_at', 'category', 'locale',
                              'assignee_id', 'created_at'], unique=False)
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_messages_kind_created', ['kind', 'created_at',
                              'author_id'], unique=False)
    with op.batch_alter_table('article_links', schema=None) as batch_op:
        batch_op.create_index('ix_article_links_message', ['message_id'], unique=False)
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_created')
        batch_op.create_index('ix_votes_created_report', ['created_at', 'slug', 'helpful',
                              'reason'], unique=False)


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_created_report')
        batch_op.create_index('ix_votes_created', ['created_at'], unique=False)
    with op.batch_alter_table('article_links', schema=None) as batch_op:
        batch_op.drop_index('ix_article_links_message')
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_messages_kind_created')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_solved_report')
        batch_op.drop_index('ix_tickets_created_report')
        batch_op.create_index('ix_tickets_solved', ['solved_at'], unique=False)
        batch_op.create_index('ix_tickets_created_category', ['created_at', 'category'],
                              unique=False)
        batch_op.drop_column('after_search')
    op.drop_table('period_query_sums')
