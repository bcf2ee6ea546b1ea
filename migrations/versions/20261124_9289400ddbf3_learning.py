"""learning: anonymous meeting evaluations (no link to a person), reflections, plain words

Revision ID: 9289400ddbf3
Revises: 8d85d07872fb
Create Date: 2026-11-24 07:51:24.398699

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9289400ddbf3'
down_revision = '8d85d07872fb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plain_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officialese', sa.String(length=80), nullable=False),
    sa.Column('plain', sa.String(length=160), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plain_words')),
    sa.UniqueConstraint('officialese', name=op.f('uq_plain_words_officialese'))
    )
    with op.batch_alter_table('plain_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plain_words_is_active'), ['is_active'], unique=False)

    op.create_table('evaluation_remarks',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('question', sa.Enum('struck', 'change', name='remarkquestion', native_enum=False), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'hidden', name='remarkstatus', native_enum=False), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_evaluation_remarks_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_remarks'))
    )
    with op.batch_alter_table('evaluation_remarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_remarks_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_responses',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('heard', sa.SmallInteger(), nullable=False),
    sa.Column('no_judgement', sa.SmallInteger(), nullable=False),
    sa.Column('understand', sa.SmallInteger(), nullable=False),
    sa.Column('learned', sa.SmallInteger(), nullable=False),
    sa.Column('belong', sa.SmallInteger(), nullable=False),
    sa.Column('can_change', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('belong BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_belong_range')),
    sa.CheckConstraint('can_change BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_can_change_range')),
    sa.CheckConstraint('heard BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_heard_range')),
    sa.CheckConstraint('learned BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_learned_range')),
    sa.CheckConstraint('no_judgement BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_no_judgement_range')),
    sa.CheckConstraint('understand BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_understand_range')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_evaluation_responses_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_responses'))
    )
    with op.batch_alter_table('evaluation_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_responses_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_evaluation_tokens_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_evaluation_tokens'))
    )
    with op.batch_alter_table('evaluation_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_tokens_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('paper_count', sa.Integer(), nullable=False),
    sa.Column('links_sent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_evaluations_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_evaluations')),
    sa.UniqueConstraint('code', name=op.f('uq_meeting_evaluations_code')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_meeting_evaluations_meeting_id'))
    )
    op.create_table('meeting_reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('worked', sa.Text(), nullable=False),
    sa.Column('did_not_work', sa.Text(), nullable=False),
    sa.Column('change_next_time', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_meeting_reflections_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_reflections_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_meeting_reflections_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_reflections'))
    )
    with op.batch_alter_table('meeting_reflections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_reflections_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_reflections_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_reflections_updated_by_id'), ['updated_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('meeting_reflections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_reflections_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_reflections_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_reflections_author_id'))

    op.drop_table('meeting_reflections')
    op.drop_table('meeting_evaluations')
    with op.batch_alter_table('evaluation_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_tokens_meeting_id'))

    op.drop_table('evaluation_tokens')
    with op.batch_alter_table('evaluation_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_responses_meeting_id'))

    op.drop_table('evaluation_responses')
    with op.batch_alter_table('evaluation_remarks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_remarks_meeting_id'))

    op.drop_table('evaluation_remarks')
    with op.batch_alter_table('plain_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plain_words_is_active'))

    op.drop_table('plain_words')
