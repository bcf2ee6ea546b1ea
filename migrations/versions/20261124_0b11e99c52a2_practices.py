"""practices: the "what works" exchange (practices, their themes and adoptions) and the
precedent a proposed wish points at.

Revision ID: 0b11e99c52a2
Revises: c193aa9f4363
Create Date: 2026-11-24 08:44:17.345320

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b11e99c52a2'
down_revision = 'c193aa9f4363'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('change', 'meeting_format', 'agenda_template', 'lesson', name='practicekind', native_enum=False), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('what_was_done', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('organisation_kind', sa.String(length=30), nullable=True),
    sa.Column('origin_wish_id', sa.Integer(), nullable=True),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_practices_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_practices_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['origin_wish_id'], ['wishes.id'], name=op.f('fk_practices_origin_wish_id_wishes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_is_published'), ['is_published'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_organisation_kind'), ['organisation_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_origin_wish_id'), ['origin_wish_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_published_at'), ['published_at'], unique=False)

    op.create_table('practice_adoptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_practice_adoptions_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_adoptions_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_practice_adoptions_wish_id_wishes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_adoptions'))
    )
    with op.batch_alter_table('practice_adoptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_adoptions_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_adoptions_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_adoptions_wish_id'), ['wish_id'], unique=False)

    op.create_table('practice_themes',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_themes_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_practice_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'theme_id', name=op.f('pk_practice_themes'))
    )
    with op.batch_alter_table('practice_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_themes_theme_id'), ['theme_id'], unique=False)

    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('precedent_practice_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_wishes_precedent_practice_id'), ['precedent_practice_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_wishes_precedent_practice_id_practices'), 'practices', ['precedent_practice_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_wishes_precedent_practice_id_practices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_wishes_precedent_practice_id'))
        batch_op.drop_column('precedent_practice_id')

    with op.batch_alter_table('practice_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_themes_theme_id'))

    op.drop_table('practice_themes')
    with op.batch_alter_table('practice_adoptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_adoptions_wish_id'))
        batch_op.drop_index(batch_op.f('ix_practice_adoptions_practice_id'))
        batch_op.drop_index(batch_op.f('ix_practice_adoptions_municipality_id'))

    op.drop_table('practice_adoptions')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_published_at'))
        batch_op.drop_index(batch_op.f('ix_practices_origin_wish_id'))
        batch_op.drop_index(batch_op.f('ix_practices_organisation_kind'))
        batch_op.drop_index(batch_op.f('ix_practices_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_practices_kind'))
        batch_op.drop_index(batch_op.f('ix_practices_is_published'))
        batch_op.drop_index(batch_op.f('ix_practices_created_by_id'))

    op.drop_table('practices')
