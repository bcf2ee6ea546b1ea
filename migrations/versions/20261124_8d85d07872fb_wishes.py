"""wishes: workflow, timeline, routing rules, answer templates and links

Revision ID: 8d85d07872fb
Revises: 190d3182b15c
Create Date: 2026-11-24 07:12:32.832819

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d85d07872fb'
down_revision = '190d3182b15c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('routing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_routing_rules_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_routing_rules_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_routing_rules_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules')),
    sa.UniqueConstraint('theme_id', 'municipality_id', name='uq_routing_rules_theme_id_municipality_id')
    )
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_rules_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_routing_rules_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_routing_rules_theme_id'), ['theme_id'], unique=False)

    op.create_table('answer_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_answer_templates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_answer_templates_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_templates'))
    )
    with op.batch_alter_table('answer_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_templates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_templates_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('wishes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.Enum('meeting', 'story', 'concern', 'direct', name='wishorigin', native_enum=False), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('for_whom', sa.String(length=300), nullable=False),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.Column('publication_consent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('new', 'routed', 'in_progress', 'changed', 'declined', 'returned', 'closed', 'merged', name='wishstatus', native_enum=False), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('routed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledge_due_on', sa.Date(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('public_answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Enum('changed', 'declined', name='resolution', native_enum=False), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('changed_from', sa.Date(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_via', sa.Enum('meeting', 'email', 'receipt', name='answerchannel', native_enum=False), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_wishes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_wishes_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['wishes.id'], name=op.f('fk_wishes_merged_into_id_wishes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_wishes_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_wishes_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_wishes_story_id_stories'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishes'))
    )
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishes_acknowledge_due_on'), ['acknowledge_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_resolution'), ['resolution'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_story_id'), ['story_id'], unique=False)

    op.create_table('wish_answer_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_wish_answer_links_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_wish_answer_links_wish_id_wishes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_answer_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_wish_answer_links_token_hash'))
    )
    with op.batch_alter_table('wish_answer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_answer_links_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_answer_links_wish_id'), ['wish_id'], unique=False)

    op.create_table('wish_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.Enum('user', 'answer_link', 'anonymous_teller', name='actorkind', native_enum=False), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_organisation_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.Enum('new', 'routed', 'in_progress', 'changed', 'declined', 'returned', 'closed', 'merged', name='wishstatus', native_enum=False), nullable=True),
    sa.Column('to_status', sa.Enum('new', 'routed', 'in_progress', 'changed', 'declined', 'returned', 'closed', 'merged', name='wishstatus', native_enum=False), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['actor_organisation_id'], ['organisations.id'], name=op.f('fk_wish_events_actor_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_wish_events_actor_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_wish_events_wish_id_wishes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_events'))
    )
    with op.batch_alter_table('wish_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_events_actor_organisation_id'), ['actor_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_events_actor_user_id'), ['actor_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wish_events_wish_id'), ['wish_id'], unique=False)

    op.create_table('wish_themes',
    sa.Column('wish_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_wish_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_wish_themes_wish_id_wishes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('wish_id', 'theme_id', name=op.f('pk_wish_themes'))
    )
    with op.batch_alter_table('wish_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_themes_theme_id'), ['theme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('wish_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_themes_theme_id'))

    op.drop_table('wish_themes')
    with op.batch_alter_table('wish_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_events_wish_id'))
        batch_op.drop_index(batch_op.f('ix_wish_events_actor_user_id'))
        batch_op.drop_index(batch_op.f('ix_wish_events_actor_organisation_id'))

    op.drop_table('wish_events')
    with op.batch_alter_table('wish_answer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_answer_links_wish_id'))
        batch_op.drop_index(batch_op.f('ix_wish_answer_links_organisation_id'))

    op.drop_table('wish_answer_links')
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wishes_story_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_status'))
        batch_op.drop_index(batch_op.f('ix_wishes_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_wishes_resolution'))
        batch_op.drop_index(batch_op.f('ix_wishes_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_wishes_acknowledge_due_on'))

    op.drop_table('wishes')
    with op.batch_alter_table('answer_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_templates_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_answer_templates_created_by_id'))

    op.drop_table('answer_templates')
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_rules_theme_id'))
        batch_op.drop_index(batch_op.f('ix_routing_rules_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_routing_rules_municipality_id'))

    op.drop_table('routing_rules')
