"""A story's notification address does not live for ever."""
from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.retention import STORY_ADDRESS_DAYS, purge
from portal.stories import service
from portal.stories.models import StoryMessage, StoryNotificationAddress


def test_notification_addresses_go_a_year_after_the_last_message(app, story_factories,
                                                                 factories):
    long_ago = service.today() - timedelta(days=STORY_ADDRESS_DAYS + 5)
    quiet, _ = story_factories.create_story(notify_email="stil@example.org")
    talking, _ = story_factories.create_story(notify_email="actief@example.org")
    fresh, _ = story_factories.create_story(notify_email="nieuw@example.org")
    quiet.submitted_on = talking.submitted_on = long_ago
    service.answer(talking, "Nog iets")  # a message today keeps the address
    old_message = service.answer(quiet, "Lang geleden")
    old_message.sent_on = long_ago
    db.session.commit()

    assert "1 story e-mail addresses" in purge()
    db.session.commit()
    left = set(db.session.scalars(sa.select(StoryNotificationAddress.email)))
    assert left == {"actief@example.org", "nieuw@example.org"}
    # The story and its thread stay; only the address goes.
    assert db.session.get(type(quiet), quiet.id).body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoryMessage)) == 2
