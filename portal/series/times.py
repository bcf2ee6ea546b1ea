"""Meeting times: typed in Europe/Amsterdam wall-clock time, stored in UTC.

On the night the clocks go forward (last Sunday of March) 02:00-02:59 does not exist: refused.
On the night they go back (last Sunday of October) 02:00-02:59 happens twice: we take the first
(summer time), so the same input always gives the same moment.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from portal.config import TIME_ZONE
from portal.errors import DomainError

LOCAL = ZoneInfo(TIME_ZONE)


def local_to_utc(day: date, at: time, field: str | None = None) -> datetime:
    """The UTC moment of a Dutch wall-clock time; DomainError when that time does not exist."""
    naive = datetime.combine(day, at.replace(tzinfo=None, second=0, microsecond=0))
    local = naive.replace(tzinfo=LOCAL, fold=0)
    moment = local.astimezone(timezone.utc)
    if moment.astimezone(LOCAL).replace(tzinfo=None) != naive:
        raise DomainError(
            _l("This time does not exist: that night the clocks go forward from 02:00 to "
               "03:00. Choose another time."), field=field)
    return moment


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)
