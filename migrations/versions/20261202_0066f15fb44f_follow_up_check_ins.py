"""follow-up check-ins (opt-in per registration, the addresses kept for them, single-use links,
anonymous answers and remarks) and when a meeting's evaluation links were sent.

Revision ID: 0066f15fb44f
Revises: bbae5ca97f91
Create Date: 2026-12-02 00:41:41.598556

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0066f15fb44f'
down_revision = 'bbae5ca97f91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_up_answers',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('round_months', sa.SmallInteger(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('in_touch', sa.Enum('yes', 'a_little', 'no', name='intouch', native_enum=False), nullable=False),
    sa.Column('changed', sa.Enum('yes', 'partly', 'no', name='changed', native_enum=False), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_follow_up_answers_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_answers'))
    )
    with op.batch_alter_table('follow_up_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_answers_series_id'), ['series_id'], unique=False)

    op.create_table('follow_up_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('next_round', sa.SmallInteger(), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=False),
    sa.Column('stop_token_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_follow_up_contacts_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_contacts')),
    sa.UniqueConstraint('series_id', 'email', name='uq_follow_up_contacts_series_id_email'),
    sa.UniqueConstraint('stop_token_hash', name=op.f('uq_follow_up_contacts_stop_token_hash'))
    )
    with op.batch_alter_table('follow_up_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_contacts_next_due_on'), ['next_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_contacts_series_id'), ['series_id'], unique=False)

    op.create_table('follow_up_remarks',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('round_months', sa.SmallInteger(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'hidden', name='remarkstatus', native_enum=False), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_follow_up_remarks_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_remarks'))
    )
    with op.batch_alter_table('follow_up_remarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_remarks_series_id'), ['series_id'], unique=False)

    op.create_table('follow_up_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('round_months', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_follow_up_tokens_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_follow_up_tokens'))
    )
    with op.batch_alter_table('follow_up_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_tokens_series_id'), ['series_id'], unique=False)

    with op.batch_alter_table('meeting_evaluations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('links_sent_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_follow_up_consent', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('has_follow_up_consent')

    with op.batch_alter_table('meeting_evaluations', schema=None) as batch_op:
        batch_op.drop_column('links_sent_at')

    with op.batch_alter_table('follow_up_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_tokens_series_id'))

    op.drop_table('follow_up_tokens')
    with op.batch_alter_table('follow_up_remarks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_remarks_series_id'))

    op.drop_table('follow_up_remarks')
    with op.batch_alter_table('follow_up_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_contacts_series_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_contacts_next_due_on'))

    op.drop_table('follow_up_contacts')
    with op.batch_alter_table('follow_up_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_answers_series_id'))

    op.drop_table('follow_up_answers')
