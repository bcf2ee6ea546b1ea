"""wish confirmations: residents say whether a changed wish really changed for them (counts and
verdict on the wish, when they were asked), single-use confirmation links (hash only), and which
stories' tellers answered (once per change).

Revision ID: d4e1c0f1a2b3
Revises: 0b11e99c52a2
Create Date: 2026-12-02 01:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e1c0f1a2b3'
down_revision = '0b11e99c52a2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        # server_default fills existing rows; the model sets the value for new ones.
        batch_op.add_column(sa.Column('confirmed_yes', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('confirmed_partly', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('confirmed_no', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('confirmation', sa.Enum('yes', 'partly', 'no',
                                                              name='confirmation',
                                                              native_enum=False),
                                      nullable=True))
        batch_op.add_column(sa.Column('confirmation_requested_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_wishes_confirmation'), ['confirmation'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_confirmation_requested_at'),
                              ['confirmation_requested_at'], unique=False)

    op.create_table('wish_confirmation_links',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_wish_confirmation_links_wish_id_wishes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_wish_confirmation_links'))
    )
    with op.batch_alter_table('wish_confirmation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_confirmation_links_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_confirmation_links_wish_id'), ['wish_id'], unique=False)

    op.create_table('wish_teller_answers',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_wish_teller_answers_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_wish_teller_answers_wish_id_wishes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'wish_id', name=op.f('pk_wish_teller_answers'))
    )
    with op.batch_alter_table('wish_teller_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_teller_answers_wish_id'), ['wish_id'], unique=False)


def downgrade():
    with op.batch_alter_table('wish_teller_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_teller_answers_wish_id'))
    op.drop_table('wish_teller_answers')

    with op.batch_alter_table('wish_confirmation_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_confirmation_links_wish_id'))
        batch_op.drop_index(batch_op.f('ix_wish_confirmation_links_expires_at'))
    op.drop_table('wish_confirmation_links')

    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wishes_confirmation_requested_at'))
        batch_op.drop_index(batch_op.f('ix_wishes_confirmation'))
        batch_op.drop_column('confirmation_requested_at')
        batch_op.drop_column('confirmation')
        batch_op.drop_column('confirmed_no')
        batch_op.drop_column('confirmed_partly')
        batch_op.drop_column('confirmed_yes')
