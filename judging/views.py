from flask import Blueprint, render_template

from accounts.decorators import jury_required

bp = Blueprint("judging", __name__)


@bp.get("/jury")
@jury_required
def my_events():
    return render_template("judging/my_events.html")
