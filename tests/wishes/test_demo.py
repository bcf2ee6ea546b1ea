"""The demo holds the Friday-letters wish, changed by the housing corporation and confirmed by
the group, on the board."""
import sqlalchemy as sa

from portal.extensions import db
from portal.wishes.models import Wish, WishStatus
from portal.wishes.routing import suggest_organisation


def test_the_demo_friday_letters_wish(app, client):
    from portal.demo import load_demo

    with app.app_context():
        load_demo()
        db.session.commit()
        # (Oldenzaal holds a second wish: the practice proposed there, see tests/learning.)
        wish = db.session.scalars(sa.select(Wish).where(
            Wish.precedent_practice_id.is_(None))).one()
        assert wish.status is WishStatus.CHANGED
        assert wish.organisation.name == "Woonstichting Betuwe Thuis"
        assert [e.action for e in wish.events] == ["log", "route", "acknowledge",
                                                   "mark_changed", "confirm"]
        assert suggest_organisation(wish).name == "Woonstichting Betuwe Thuis"
    page = client.get("/jij-zei-wij-deden/lingewaard").get_data(as_text=True)
    assert "Stuur nare brieven niet meer op vrijdag" in page
    assert "We hebben het meteen veranderd." in page
    assert "Bevestigd door inwoners" in page
