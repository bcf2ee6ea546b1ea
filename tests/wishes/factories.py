"""Wish factories: create_wish(**overrides) in any status, routing rules, answer links."""
from __future__ import annotations

from datetime import date, timedelta

from portal.extensions import db
from portal.models import utcnow
from portal.wishes.models import (AnswerChannel, Resolution, RoutingRule, Wish, WishOrigin,
                                  WishStatus)
from tests import factories

WITH_ORGANISATION = {WishStatus.ROUTED, WishStatus.IN_PROGRESS, WishStatus.CHANGED,
                     WishStatus.DECLINED, WishStatus.CLOSED}


def create_wish(status: WishStatus = WishStatus.NEW, **overrides) -> Wish:
    """A wish as if it had reached `status` (organisation, answer and outcome filled in)."""
    values = {"what": "Geen nare brieven meer op vrijdag.", "why": "Een heel weekend stress.",
              "origin": WishOrigin.DIRECT, "supporters": 1, "status": status} | overrides
    if "municipality" not in values and "municipality_id" not in values:
        values["municipality"] = factories.create_municipality()
    if status in WITH_ORGANISATION and "organisation" not in values:
        values["organisation"] = factories.create_organisation(contact_email="info@org.example")
    now = utcnow()
    if status in WITH_ORGANISATION:
        values.setdefault("routed_at", now)
        values.setdefault("acknowledge_due_on", date.today() + timedelta(days=14))
    if status in (WishStatus.CHANGED, WishStatus.CLOSED):
        values.setdefault("resolution", Resolution.CHANGED)
        values.setdefault("public_answer", "We sturen brieven nu op dinsdag.")
        values.setdefault("outcome", "Brieven gaan op dinsdag de deur uit.")
        values.setdefault("changed_from", date(2026, 3, 1))
        values.setdefault("resolved_at", now)
    if status is WishStatus.DECLINED:
        values.setdefault("resolution", Resolution.DECLINED)
        values.setdefault("public_answer", "Dat kan wettelijk niet.")
    if status is WishStatus.CLOSED:
        values.setdefault("closed_via", AnswerChannel.MEETING)
    wish = Wish(**values)
    db.session.add(wish)
    db.session.flush()
    return wish


def create_rule(theme, organisation, municipality=None) -> RoutingRule:
    rule = RoutingRule(theme=theme, organisation=organisation, municipality=municipality)
    db.session.add(rule)
    db.session.flush()
    return rule
