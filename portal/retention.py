"""What is erased when, for every feature. `flask portal purge` runs it; so does the worker."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.auth.models import PasswordResetToken
from portal.extensions import db
from portal.learning import follow_up
from portal.learning.service import purge_expired_tokens
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.models import utcnow
from portal.registrations.retention import erase_ended_series_registrations
from portal.digests.models import DigestLog
from portal.stories.models import Story, StoryMessage, StoryNotificationAddress
from portal.webhooks.models import DeliveryStatus, WebhookDelivery
from portal.wishes.confirmations import purge_expired_links

# Sent mail holds addresses and personal text: kept briefly for support questions only.
SENT_MAIL_DAYS = 30
FAILED_MAIL_DAYS = 90
USED_TOKEN_DAYS = 7
# A story's optional notification address: gone a year after the last sign of life.
STORY_ADDRESS_DAYS = 365
# Webhook deliveries are a log for coordinators; the wish keeps its own timeline.
DELIVERED_WEBHOOK_DAYS = 30
FAILED_WEBHOOK_DAYS = 90
# Digest logs only guard against sending a week twice.
DIGEST_LOG_DAYS = 400


def _quiet_stories(cutoff):
    """Stories sent before the cutoff date with no message since (dates only: see stories)."""
    last_message = (sa.select(sa.func.max(StoryMessage.sent_on))
                    .where(StoryMessage.story_id == Story.id).scalar_subquery())
    return sa.select(Story.id).where(Story.submitted_on < cutoff,
                                     sa.or_(last_message.is_(None), last_message < cutoff))


def purge() -> str:
    now = utcnow()
    counts = {
        "sent mail": db.session.execute(sa.delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at < now - timedelta(days=SENT_MAIL_DAYS))).rowcount,
        "failed mail": db.session.execute(sa.delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.FAILED,
            OutboxMessage.created_at < now - timedelta(days=FAILED_MAIL_DAYS))).rowcount,
        "password tokens": db.session.execute(sa.delete(PasswordResetToken).where(
            PasswordResetToken.expires_at < now - timedelta(days=USED_TOKEN_DAYS))).rowcount,
        "story e-mail addresses": db.session.execute(sa.delete(StoryNotificationAddress).where(
            StoryNotificationAddress.story_id.in_(_quiet_stories(
                now.date() - timedelta(days=STORY_ADDRESS_DAYS))))).rowcount,
        # Contact details and needs, RETENTION_DAYS_AFTER_SERIES after the series ended.
        "registrations": erase_ended_series_registrations(now),
        "unused evaluation links": purge_expired_tokens(now),
        "unused confirmation links": purge_expired_links(now),
        # The address kept for check-ins: deleted by the job after the last round; here when a
        # round is long overdue or the series was cancelled (portal/learning/follow_up.py).
        "follow-up contacts": follow_up.purge_contacts(now),
        "unused follow-up links": follow_up.purge_expired_tokens(now),
        "webhook deliveries": db.session.execute(sa.delete(WebhookDelivery).where(sa.or_(
            sa.and_(WebhookDelivery.status == DeliveryStatus.DELIVERED,
                    WebhookDelivery.delivered_at < now - timedelta(days=DELIVERED_WEBHOOK_DAYS)),
            sa.and_(WebhookDelivery.status == DeliveryStatus.FAILED,
                    WebhookDelivery.created_at < now - timedelta(days=FAILED_WEBHOOK_DAYS)))
        )).rowcount,
        "digest logs": db.session.execute(sa.delete(DigestLog).where(
            DigestLog.sent_at < now - timedelta(days=DIGEST_LOG_DAYS))).rowcount,
    }
    return ", ".join(f"{n} {what}" for what, n in counts.items())
