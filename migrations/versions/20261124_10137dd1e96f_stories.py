"""stories: anonymous stories, receipt codes, replies, revisions

Revision ID: 10137dd1e96f
Revises: cabf4bf49a1e
Create Date: 2026-11-24 07:06:08.728343

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '10137dd1e96f'
down_revision = 'cabf4bf49a1e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.Enum('anonymous', 'captured', name='storyorigin', native_enum=False), nullable=False),
    sa.Column('kind', sa.Enum('story', 'struggle', 'eye_opener', 'concern', name='storykind', native_enum=False), nullable=False),
    sa.Column('consent', sa.Enum('facilitators', 'group', 'public', name='consentlevel', native_enum=False), nullable=False),
    sa.Column('status', sa.Enum('new', 'reviewed', 'shared', 'published', 'withdrawn', name='storystatus', native_enum=False), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('wish_text', sa.Text(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('receipt_lookup', sa.String(length=64), nullable=True),
    sa.Column('receipt_hash', sa.String(length=255), nullable=True),
    sa.Column('has_unread_from_sender', sa.Boolean(), nullable=False),
    sa.Column('captured_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['captured_by_id'], ['users.id'], name=op.f('fk_stories_captured_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_stories_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_stories_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_stories_series_id_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    sa.UniqueConstraint('receipt_lookup', name=op.f('uq_stories_receipt_lookup'))
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_captured_by_id'), ['captured_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_status'), ['status'], unique=False)

    op.create_table('story_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.Enum('facilitator', 'sender', name='messageauthor', native_enum=False), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_story_messages_author_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_messages_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_messages'))
    )
    with op.batch_alter_table('story_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_messages_author_user_id'), ['author_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_messages_story_id'), ['story_id'], unique=False)

    op.create_table('story_notification_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_notification_addresses_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_notification_addresses')),
    sa.UniqueConstraint('story_id', name=op.f('uq_story_notification_addresses_story_id'))
    )
    op.create_table('story_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('wish_text', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_story_revisions_edited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_revisions_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_revisions'))
    )
    with op.batch_alter_table('story_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_revisions_edited_by_id'), ['edited_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_revisions_story_id'), ['story_id'], unique=False)

    op.create_table('story_themes',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_themes_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_story_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'theme_id', name=op.f('pk_story_themes'))
    )


def downgrade():
    op.drop_table('story_themes')
    with op.batch_alter_table('story_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_revisions_story_id'))
        batch_op.drop_index(batch_op.f('ix_story_revisions_edited_by_id'))

    op.drop_table('story_revisions')
    op.drop_table('story_notification_addresses')
    with op.batch_alter_table('story_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_messages_story_id'))
        batch_op.drop_index(batch_op.f('ix_story_messages_author_user_id'))

    op.drop_table('story_messages')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_status'))
        batch_op.drop_index(batch_op.f('ix_stories_series_id'))
        batch_op.drop_index(batch_op.f('ix_stories_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_stories_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_stories_captured_by_id'))

    op.drop_table('stories')
