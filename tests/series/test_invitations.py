"""Invitations: share text, and e-mails that are validated, deduplicated and not kept."""
import sqlalchemy as sa

from portal.extensions import db
from portal.series.models import InvitationBatch, SeriesStatus


def _open(client, make_series, login_as, **kwargs):
    series = make_series(**kwargs)
    login_as(series.facilitators[0])
    db.session.rollback()
    return series


def test_invite_page_has_link_qr_and_share_text(client, make_series, login_as):
    series = _open(client, make_series, login_as)
    page = client.get(f"/reeksen/{series.id}/uitnodigen").get_data(as_text=True)
    assert f"http://localhost/reeks/{series.slug}" in page
    assert f"/reeks/{series.slug}/qr.svg" in page and f"/reeks/{series.slug}/qr.png" in page
    assert f"/reeks/{series.slug}/poster" in page
    assert "Je bent uitgenodigd: Samen sterk in Huissen" in page
    assert f"Meld je hier aan: http://localhost/reeks/{series.slug}" in page


def test_emails_are_validated_deduplicated_sent_and_only_counted(client, make_series, login_as,
                                                                 outbox):
    series = _open(client, make_series, login_as)
    response = client.post_form(f"/reeksen/{series.id}/uitnodigen", {
        "addresses": "Anna@Example.org, anna@example.org\nbob@example.org; <cor@example.org>",
        "message": "Kom je ook? Groet, Sanne"})
    assert response.status_code == 302
    messages = outbox()
    assert sorted(m.to_address.lower() for m in messages) == [
        "anna@example.org", "bob@example.org", "cor@example.org"]
    body = messages[0].text_body
    assert "Kom je ook? Groet, Sanne" in body
    assert f"http://localhost/reeks/{series.slug}" in body
    assert "1. dinsdag 5 maart 2030, 19:00-21:00 uur" in body
    assert messages[0].subject == "Uitnodiging: Samen sterk in Huissen"
    assert messages[0].reply_to == series.facilitators[0].email
    db.session.rollback()
    [batch] = db.session.scalars(sa.select(InvitationBatch)).all()
    assert batch.sent_count == 3
    assert not any(hasattr(batch, name) for name in ("addresses", "emails", "to_address"))
    page = client.get(f"/reeksen/{series.id}/uitnodigen").get_data(as_text=True)
    assert "Tot nu toe verstuurd: 3 uitnodigingen." in page
    assert "anna@example.org" not in page.lower()


def test_invalid_addresses_are_named_and_nothing_is_sent(client, make_series, login_as, outbox):
    series = _open(client, make_series, login_as)
    response = client.post_form(f"/reeksen/{series.id}/uitnodigen", {
        "addresses": "goed@example.org\nniet-goed\n<script>@x", "message": "Hallo"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dit zijn geen e-mailadressen: niet-goed" in page
    assert "<script>@x" not in page
    assert "goed@example.org" in page  # what was typed is kept
    assert outbox() == []


def test_more_than_200_addresses_are_refused(client, make_series, login_as, outbox):
    series = _open(client, make_series, login_as)
    addresses = "\n".join(f"p{n}@example.org" for n in range(201))
    response = client.post_form(f"/reeksen/{series.id}/uitnodigen",
                                {"addresses": addresses, "message": "Hallo"})
    assert response.status_code == 422
    assert "Hoogstens 200 adressen tegelijk. Je vulde er 201 in." in response.get_data(
        as_text=True)
    assert outbox() == []


def test_many_batches_in_an_hour_are_slowed_down(client, make_series, login_as, outbox):
    series = _open(client, make_series, login_as)
    codes = [client.post_form(f"/reeksen/{series.id}/uitnodigen",
                              {"addresses": f"p{n}@example.org", "message": "Hallo"}).status_code
             for n in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429
    assert len(outbox()) == 10


def test_draft_series_cannot_be_shared_yet(client, make_series, login_as, outbox):
    series = _open(client, make_series, login_as, status=SeriesStatus.DRAFT)
    page = client.get(f"/reeksen/{series.id}/uitnodigen").get_data(as_text=True)
    assert "Publiceer eerst de reeks." in page
    response = client.post_form(f"/reeksen/{series.id}/uitnodigen",
                                {"addresses": "a@example.org", "message": "Hallo"},
                                token_from=f"/reeksen/{series.id}")
    assert response.status_code == 422
    assert outbox() == []
