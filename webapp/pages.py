"""Pages about the service itself: the accessibility statement and the privacy note."""
from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html", layout="layout.html")


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html", layout="layout.html")
