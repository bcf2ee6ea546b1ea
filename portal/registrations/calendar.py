"""The calendar file a registrant gets: the series' own calendar (portal.series.calendar), so
the events carry the same UIDs as the public feed and later changes update them."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from portal.series.calendar import calendar_bytes
from portal.series.models import Series


def series_calendar_bytes(series: Series) -> bytes:
    base_url = current_app.config["BASE_URL"]
    # Built from the URL map, not url_for: reminders and promotions are made outside a request.
    path = current_app.url_map.bind("localhost").build("series_public.page", {"slug": series.slug})
    return calendar_bytes(
        series.meetings, name=series.title, base_url=base_url, public_url=base_url + path,
        title_for=lambda m: _("%(title)s (meeting %(number)s of 4)", title=series.title,
                              number=m.number))
