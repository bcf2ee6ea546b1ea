"""practice agendas: the snapshot of an agenda template that an agenda-template practice
shares, and which library templates were copied from it.

Revision ID: bbae5ca97f91
Revises: d4e1c0f1a2b3
Create Date: 2026-12-02 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bbae5ca97f91'
down_revision = 'd4e1c0f1a2b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_agendas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('source_template_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('meeting_number', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_agendas_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_template_id'], ['agenda_templates.id'], name=op.f('fk_practice_agendas_source_template_id_agenda_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_agendas')),
    sa.UniqueConstraint('practice_id', name=op.f('uq_practice_agendas_practice_id'))
    )
    with op.batch_alter_table('practice_agendas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_agendas_source_template_id'), ['source_template_id'], unique=False)

    op.create_table('practice_agenda_items',
    sa.Column('agenda_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('lead', sa.Enum('social_worker', 'experience_expert', 'both', name='lead', native_enum=False), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_id'], ['practice_agendas.id'], name=op.f('fk_practice_agenda_items_agenda_id_practice_agendas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_agenda_items'))
    )
    with op.batch_alter_table('practice_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_agenda_items_agenda_id'), ['agenda_id'], unique=False)

    op.create_table('practice_agenda_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_agenda_copies_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['agenda_templates.id'], name=op.f('fk_practice_agenda_copies_template_id_agenda_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_agenda_copies')),
    sa.UniqueConstraint('template_id', name=op.f('uq_practice_agenda_copies_template_id'))
    )
    with op.batch_alter_table('practice_agenda_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_agenda_copies_practice_id'), ['practice_id'], unique=False)


def downgrade():
    with op.batch_alter_table('practice_agenda_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_agenda_copies_practice_id'))

    op.drop_table('practice_agenda_copies')
    with op.batch_alter_table('practice_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_agenda_items_agenda_id'))

    op.drop_table('practice_agenda_items')
    with op.batch_alter_table('practice_agendas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_agendas_source_template_id'))

    op.drop_table('practice_agendas')
