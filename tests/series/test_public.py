"""The public series page, the register placeholder, QR codes and the poster."""
import re

import pytest

from portal.extensions import db
from portal.series.models import SeriesStatus


def meta(page: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page)
    assert match, prop
    return match.group(1)


def test_public_page_in_plain_dutch_with_dates_venue_and_sign_up(client, make_series, factories):
    venue = factories.create_venue(name="Buurthuis De Poort", is_wheelchair_accessible=True,
                                   has_public_transport=True,
                                   accessibility_notes="Ingang zonder drempel.")
    series = make_series(venue=venue, audience="Voor iedereen in Huissen.")
    response = client.get(f"/reeks/{series.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Vier ontmoetingen met mensen uit" in page
    assert "Voor wie is dit?" in page and "Voor iedereen in Huissen." in page
    for day in ("dinsdag 5 maart 2030", "dinsdag 12 maart 2030", "dinsdag 19 maart 2030",
                "dinsdag 26 maart 2030"):
        assert day in page
    assert "19:00–21:00" in page
    assert "Buurthuis De Poort" in page and "Je kunt er met een rolstoel naar binnen." in page
    assert "Ingang zonder drempel." in page
    assert f'href="/aanmelden/{series.slug}"' in page and "Aanmelden" in page
    assert f'/reeks/{series.slug}/ontmoeting-1.ics' in page


def test_the_old_sign_up_address_leads_to_the_form(client, make_series):
    series = make_series()
    response = client.get(f"/reeks/{series.slug}/aanmelden")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/aanmelden/{series.slug}"
    form = client.get(response.headers["Location"])
    assert form.status_code == 200 and series.title in form.get_data(as_text=True)


def test_link_preview_meta_tags_are_absolute(client, make_series):
    series = make_series(description="<p>Vier avonden over <b>geld</b> en brieven.</p>")
    page = client.get(f"/reeks/{series.slug}").get_data(as_text=True)
    assert meta(page, "og:title") == series.title
    assert meta(page, "og:description") == "Vier avonden over geld en brieven."
    assert meta(page, "og:url") == f"http://localhost/reeks/{series.slug}"
    image = meta(page, "og:image")
    assert image == "http://localhost/static/img/og-ontmoetingen.png"
    assert meta(page, "twitter:card") == "summary_large_image"
    png = client.get("/static/img/og-ontmoetingen.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    png.close()


def test_anonymous_reader_gets_no_cookie_and_few_queries(client, make_series, count_queries):
    series = make_series()
    with count_queries() as statements:
        response = client.get(f"/reeks/{series.slug}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 5


@pytest.mark.parametrize("status", [SeriesStatus.DRAFT])
def test_draft_is_not_public(client, make_series, status):
    series = make_series(status=status)
    assert client.get(f"/reeks/{series.slug}").status_code == 404


def test_completed_series_stays_public(client, make_series):
    series = make_series(status=SeriesStatus.COMPLETED)
    assert client.get(f"/reeks/{series.slug}").status_code == 200


def test_unknown_or_silly_slugs_are_not_found(client):
    assert client.get("/reeks/abcdefgh").status_code == 404
    assert client.get("/reeks/" + "a" * 300).status_code == 404
    assert client.get("/reeks/%00abc").status_code in (400, 404)


def test_qr_codes_point_to_the_public_page(client, make_series):
    series = make_series()
    svg = client.get(f"/reeks/{series.slug}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.data.lstrip().startswith(b"<svg") and b"QR-code naar de aanmeldpagina" in svg.data
    png = client.get(f"/reeks/{series.slug}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    # The code holds the public URL: segno draws exactly this image for it.
    import io

    import segno
    expected = io.BytesIO()
    segno.make(f"http://localhost/reeks/{series.slug}", error="m").save(
        expected, kind="png", scale=10, border=4)
    assert png.data == expected.getvalue()


def test_poster_has_title_dates_qr_and_link(client, make_series):
    series = make_series()
    page = client.get(f"/reeks/{series.slug}/poster").get_data(as_text=True)
    assert series.title in page
    assert "1. dinsdag 5 maart 2030, 19:00-21:00 uur" in page
    assert f'src="/reeks/{series.slug}/qr.svg"' in page
    assert f"http://localhost/reeks/{series.slug}" in page
    assert "portal-sheet" in page  # the print stylesheet hides everything else on paper


def test_cancelled_meeting_is_marked_on_the_public_page(client, make_series, app):
    series = make_series()
    from portal.series.models import MeetingStatus
    series.meetings[1].status = MeetingStatus.CANCELLED
    db.session.commit()
    page = client.get(f"/reeks/{series.slug}").get_data(as_text=True)
    assert "(gaat niet door)" in page


def test_cancelled_series_says_so_and_hides_sign_up(client, make_series):
    series = make_series(status=SeriesStatus.CANCELLED)
    page = client.get(f"/reeks/{series.slug}").get_data(as_text=True)
    assert "Deze ontmoetingen gaan niet door." in page
    assert "/aanmelden" not in page
