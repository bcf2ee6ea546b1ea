"""Coordinator screens: municipalities, venues, organisations, users, themes."""
from flask import Blueprint, render_template

from portal.auth.permissions import Role, require

bp = Blueprint("directory", __name__, url_prefix="/beheer")


@bp.route("/")
@require(Role.COORDINATOR)
def index():
    return render_template("directory/index.html")
