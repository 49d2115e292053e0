from flask import Blueprint, render_template

bp = Blueprint("submissions", __name__)


@bp.get("/receipt")
def receipt_lookup():
    return render_template("submissions/receipt_lookup.html")
