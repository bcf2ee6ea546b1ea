"""series, meetings, agendas, agenda templates, invitation counts

Revision ID: cabf4bf49a1e
Revises: 22453769bd61
Create Date: 2026-11-24 07:01:14.691870

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cabf4bf49a1e'
down_revision = '22453769bd61'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('meeting_number', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agenda_templates_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_templates')),
    sa.UniqueConstraint('key', 'language', name='uq_agenda_templates_key_language')
    )
    with op.batch_alter_table('agenda_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_templates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_templates_language'), ['language'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'completed', 'cancelled', name='seriesstatus', native_enum=False), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_series_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_series_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
    sa.UniqueConstraint('slug', name=op.f('uq_series_slug'))
    )
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_status'), ['status'], unique=False)

    op.create_table('agenda_template_items',
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('lead', sa.Enum('social_worker', 'experience_expert', 'both', name='lead', native_enum=False), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['agenda_templates.id'], name=op.f('fk_agenda_template_items_template_id_agenda_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_template_items'))
    )
    with op.batch_alter_table('agenda_template_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_template_items_template_id'), ['template_id'], unique=False)

    op.create_table('invitation_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('sent_count', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_invitation_batches_sent_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_invitation_batches_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_batches'))
    )
    with op.batch_alter_table('invitation_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_batches_sent_by_id'), ['sent_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_batches_series_id'), ['series_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='meetingstatus', native_enum=False), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_meetings_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_meetings_ends_after_start')),
    sa.CheckConstraint('number BETWEEN 1 AND 4', name=op.f('ck_meetings_number_range')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_meetings_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['agenda_templates.id'], name=op.f('fk_meetings_template_id_agenda_templates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_meetings_venue_id_venues'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('series_id', 'number', name='uq_meetings_series_id_number')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_template_id'), ['template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_venue_id'), ['venue_id'], unique=False)

    op.create_table('series_facilitators',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_facilitators_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_series_facilitators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', 'user_id', name=op.f('pk_series_facilitators'))
    )
    with op.batch_alter_table('series_facilitators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_facilitators_user_id'), ['user_id'], unique=False)

    op.create_table('agenda_items',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('lead', sa.Enum('social_worker', 'experience_expert', 'both', name='lead', native_enum=False), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('series_facilitators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_facilitators_user_id'))

    op.drop_table('series_facilitators')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_venue_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_template_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_series_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('invitation_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_batches_series_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_batches_sent_by_id'))

    op.drop_table('invitation_batches')
    with op.batch_alter_table('agenda_template_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_template_items_template_id'))

    op.drop_table('agenda_template_items')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_status'))
        batch_op.drop_index(batch_op.f('ix_series_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_series_created_by_id'))

    op.drop_table('series')
    with op.batch_alter_table('agenda_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_templates_language'))
        batch_op.drop_index(batch_op.f('ix_agenda_templates_created_by_id'))

    op.drop_table('agenda_templates')
