"""What anyone can open without an account: the series page, calendars, QR code, poster.

No session is touched here, so an anonymous reader gets no cookie.
"""
from __future__ import annotations

import io

import segno
from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from portal.page_cache import cached_public_page
from portal.auth.permissions import public
from portal.errors import NotFound
from portal.text import render_rich_text
from portal.series import service
from portal.series.calendar import calendar_bytes
from portal.series.invitations import meeting_lines
from portal.series.models import Series
from portal.series.views import public_url

bp = Blueprint("series_public", __name__, url_prefix="/reeks")

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CACHE_SHORT = "public, max-age=300"


def _series(slug: str) -> Series:
    if len(slug) > 16:
        abort(404)
    try:
        return service.public_series(slug)
    except NotFound:
        abort(404)


def _absolute(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


@bp.route("/<slug>")
@public
@cached_public_page
def page(slug: str):
    series = _series(slug)
    venues = list({m.venue_id: m.venue for m in series.meetings}.values())
    return render_template(
        "series/public.html", series=series, venues=venues, public_url=public_url(series),
        og_image=_absolute("static", filename="img/og-ontmoetingen.png"),
        og_description=_summary(series), description_html=render_rich_text(series.description),
        audience_html=render_rich_text(series.audience),
        is_cancelled=series.status.value == "cancelled")


def _summary(series: Series) -> str:
    """One or two plain sentences for link previews (WhatsApp, Facebook)."""
    text = " ".join(Markup(render_rich_text(series.description)).striptags().split())
    if not text:
        text = _("Four meetings with people from %(place)s. We listen to each other. Together "
                 "we choose what must change. It is free.", place=series.municipality.name)
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"


@bp.route("/<slug>/aanmelden")
@public
def register(slug: str):
    """Older links to the sign-up page; the form lives with registrations."""
    return redirect(url_for("registrations_public.sign_up", slug=slug), 301)


def _ics(series: Series, meetings, filename: str):
    body = calendar_bytes(
        meetings, name=series.title, public_url=public_url(series),
        base_url=current_app.config["BASE_URL"],
        title_for=lambda m: _("%(title)s (meeting %(number)s of 4)", title=series.title,
                              number=m.number))
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = CALENDAR_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = CACHE_SHORT
    return response


@bp.route("/<slug>/kalender.ics")
@public
@cached_public_page
def feed(slug: str):
    """Subscribable: calendars poll this and see changes and cancellations."""
    series = _series(slug)
    return _ics(series, series.meetings, f"ontmoetingen-{series.slug}.ics")


@bp.route("/<slug>/ontmoeting-<int:number>.ics")
@public
@cached_public_page
def meeting_ics(slug: str, number: int):
    series = _series(slug)
    meeting = next((m for m in series.meetings if m.number == number), None)
    if meeting is None:
        abort(404)
    return _ics(series, [meeting], f"ontmoeting-{number}-{series.slug}.ics")


def _qr(series: Series):
    return segno.make(public_url(series), error="m")


@bp.route("/<slug>/qr.svg")
@public
@cached_public_page
def qr_svg(slug: str):
    buffer = io.BytesIO()
    _qr(_series(slug)).save(buffer, kind="svg", scale=8, border=4, xmldecl=False,
                            title=_("QR code to the sign-up page"))
    response = current_app.response_class(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = CACHE_SHORT
    return response


@bp.route("/<slug>/qr.png")
@public
@cached_public_page
def qr_png(slug: str):
    buffer = io.BytesIO()
    _qr(_series(slug)).save(buffer, kind="png", scale=10, border=4)
    response = current_app.response_class(buffer.getvalue(), mimetype="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="qr-{slug}.png"'
    response.headers["Cache-Control"] = CACHE_SHORT
    return response


@bp.route("/<slug>/poster")
@public
@cached_public_page
def poster(slug: str):
    """One A4 to print and hang up: title, dates, place, QR code and the short link."""
    series = _series(slug)
    return render_template("series/poster.html", series=series, public_url=public_url(series),
                           lines=meeting_lines(series),
                           venue=series.meetings[0].venue if series.meetings else None)
