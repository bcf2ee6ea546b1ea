"""registrations, attendance per meeting, reminder log

Revision ID: 190d3182b15c
Revises: 10137dd1e96f
Create Date: 2026-11-24 07:16:00.776327

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '190d3182b15c'
down_revision = '10137dd1e96f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.Enum('resident', 'volunteer', 'professional', 'policy_maker', 'other', name='participantrole', native_enum=False), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('needs_childcare', sa.Boolean(), nullable=False),
    sa.Column('needs_transport', sa.Boolean(), nullable=False),
    sa.Column('needs_dietary', sa.Boolean(), nullable=False),
    sa.Column('needs_accessibility', sa.Boolean(), nullable=False),
    sa.Column('needs_interpreter', sa.Boolean(), nullable=False),
    sa.Column('needs_notes', sa.Text(), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('consent_given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waiting', 'cancelled', name='registrationstatus', native_enum=False), nullable=False),
    sa.Column('seat_number', sa.Integer(), nullable=True),
    sa.Column('queue_number', sa.Integer(), nullable=True),
    sa.Column('manage_token_hash', sa.String(length=64), nullable=True),
    sa.Column('idempotency_key_hash', sa.String(length=64), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('is_registered_by_facilitator', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'confirmed') = (seat_number IS NOT NULL)", name=op.f('ck_registrations_seat_iff_confirmed')),
    sa.CheckConstraint("(status = 'waiting') = (queue_number IS NOT NULL)", name=op.f('ck_registrations_queue_iff_waiting')),
    sa.CheckConstraint('seat_number IS NULL OR seat_number > 0', name=op.f('ck_registrations_seat_positive')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_registrations_registered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_registrations_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('idempotency_key_hash', name=op.f('uq_registrations_idempotency_key_hash')),
    sa.UniqueConstraint('manage_token_hash', name=op.f('uq_registrations_manage_token_hash')),
    sa.UniqueConstraint('series_id', 'queue_number', name='uq_registrations_series_id_queue'),
    sa.UniqueConstraint('series_id', 'seat_number', name='uq_registrations_series_id_seat')
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_registered_by_id'), ['registered_by_id'], unique=False)
        batch_op.create_index('ix_registrations_series_id_status', ['series_id', 'status'], unique=False)

    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'absent', name='attendancestatus', native_enum=False), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_attendances_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendances_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_attendances_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('registration_id', 'meeting_id', name='uq_attendances_registration_id_meeting')
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendances_marked_by_id'), ['marked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendances_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('reminder_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_reminder_logs_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_reminder_logs_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_logs')),
    sa.UniqueConstraint('registration_id', 'meeting_id', name='uq_reminder_logs_registration_id_meeting')
    )
    with op.batch_alter_table('reminder_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_logs_meeting_id'), ['meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reminder_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_logs_meeting_id'))

    op.drop_table('reminder_logs')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendances_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_attendances_marked_by_id'))

    op.drop_table('attendances')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_series_id_status')
        batch_op.drop_index(batch_op.f('ix_registrations_registered_by_id'))
        batch_op.drop_index(batch_op.f('ix_registrations_email'))

    op.drop_table('registrations')
