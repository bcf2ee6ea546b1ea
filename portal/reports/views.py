"""Reports for coordinators (all municipalities, side by side) and facilitators (their own):
tables with a chart beside them, and every table as CSV; the wish list with its timeline as CSV."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.auth.permissions import require
from portal.csv_export import csv_response, labels, query_rows
from portal.reports import service
from portal.reports.charts import Bar, bar_chart
from portal.reports.forms import FilterForm
from portal.wishes import service as wish_service
from portal.wishes.models import ActorKind, Wish, WishEvent
from portal.wishes.workflow import EVENT_LABELS, STATUS_LABELS, TRANSITIONS

bp = Blueprint("reports", __name__, url_prefix="/begeleiding/rapportages")

STAFF = (Role.COORDINATOR, Role.FACILITATOR)


def _filters() -> tuple[service.Filters, FilterForm]:
    """The filters from the query string; wrong values fall back to the defaults (a year)."""
    form = FilterForm(request.args)
    municipalities = service.visible_municipalities(current_user)
    form.gemeente.choices = [("", _("All my municipalities") if current_user.role
                              is Role.FACILITATOR else _("All municipalities"))] + [
        (str(m.id), m.name) for m in municipalities]
    valid = form.validate()
    chosen = municipalities
    wanted = request.args.get("gemeente", "")
    if wanted:
        chosen = [m for m in municipalities if str(m.id) == wanted]
        if not chosen:
            abort(404)  # not a municipality this person may see
    end = (form.tot.data if valid else None) or date.today()
    start = (form.van.data if valid else None) or end - timedelta(days=365)
    return service.Filters(tuple(chosen), start, end, str(get_locale() or "nl")), form


def _args(filters: service.Filters) -> dict:
    args = {"van": filters.start.isoformat(), "tot": filters.end.isoformat()}
    if request.args.get("gemeente"):
        args["gemeente"] = request.args["gemeente"]
    return args


def _chart(table: service.Table):
    if table.chart_value is None or not table.rows:
        return None
    return bar_chart(f"chart-{table.key}", str(table.title),
                     [Bar(str(row[0]), row[table.chart_value]) for row in table.rows])


@bp.route("/")
@require(*STAFF)
def index():
    filters, form = _filters()
    tables = service.report(filters)
    return render_template("reports/index.html", form=form, filters=filters, tables=tables,
                           charts={t.key: _chart(t) for t in tables}, args=_args(filters),
                           format_date=format_date, format_decimal=format_decimal), \
        422 if form.errors else 200


@bp.route("/<key>.csv")
@require(*STAFF)
def export_table(key: str):
    filters, _form = _filters()
    table = next((t for t in service.report(filters) if t.key == key), None)
    if table is None:
        abort(404)
    rows = [[str(v) if not isinstance(v, (int, float)) else v for v in row]
            for row in table.rows]
    return csv_response(f"{key}-{filters.start}-{filters.end}.csv",
                        [str(c) for c in table.columns], rows)


def actor_kinds() -> dict:
    """Who took a step, for the CSV, when it was not a staff member with a name."""
    return {ActorKind.ANSWER_LINK: _("answer link"), ActorKind.API: _("own system"),
            ActorKind.ANONYMOUS_TELLER: _("the teller (anonymous)"),
            ActorKind.RESIDENT_LINK: _("a participant (e-mail link)"), ActorKind.USER: ""}


@bp.route("/wensen-met-tijdlijn.csv")
@require(*STAFF)
def export_wishes():
    """Every visible wish of the period with each step of its timeline, one row per step;
    streamed from the database a batch at a time."""
    filters, _form = _filters()
    wishes = (wish_service.visible_wishes(current_user)
              .where(Wish.municipality_id.in_(filters.ids),
                     Wish.created_at >= filters.start_at, Wish.created_at < filters.end_at)
              .with_only_columns(Wish.id))
    query = (sa.select(WishEvent).where(WishEvent.wish_id.in_(wishes))
             .options(sa.orm.joinedload(WishEvent.wish).joinedload(Wish.municipality),
                      sa.orm.joinedload(WishEvent.wish).joinedload(Wish.organisation),
                      sa.orm.joinedload(WishEvent.actor_user),
                      sa.orm.joinedload(WishEvent.actor_organisation))
             .order_by(WishEvent.wish_id, WishEvent.id))
    statuses = labels(STATUS_LABELS)
    steps = labels({name: t.label for name, t in TRANSITIONS.items()} | EVENT_LABELS)
    kinds = labels(actor_kinds())

    def row(event: WishEvent):
        wish = event.wish
        who = event.actor_user.display_name if event.actor_user else kinds[event.actor_kind]
        return (wish.id, wish.what, statuses[wish.status], wish.municipality.name,
                wish.organisation.name if wish.organisation else "",
                event.at.astimezone(service.deadlines.AMSTERDAM).strftime("%Y-%m-%d %H:%M"),
                steps.get(event.action, event.action),
                statuses.get(event.from_status, ""), statuses.get(event.to_status, ""), who,
                event.actor_organisation.name if event.actor_organisation else "", event.note)

    header = [_("Wish"), _("What should change"), _("Status now"), _("Municipality"),
              _("Organisation now"), _("When"), _("Step"), _("From status"), _("To status"),
              _("Who"), _("For organisation"), _("Note")]
    return csv_response(f"wensen-{filters.start}-{filters.end}.csv", header,
                        query_rows(query, row))
