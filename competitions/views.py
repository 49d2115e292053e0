from flask import Blueprint, render_template
from sqlalchemy import select

from accounts.decorators import organiser_required
from competitions.models import Event
from extensions import db

bp = Blueprint("competitions", __name__)


@bp.get("/")
def home():
    """The public page of the tour: its stops, in order."""
    events = db.session.scalars(select(Event).order_by(Event.date, Event.tour_order)).all()
    return render_template("competitions/home.html", events=events)


@bp.get("/tour")
@organiser_required
def dashboard():
    events = db.session.scalars(select(Event).order_by(Event.date, Event.tour_order)).all()
    return render_template("competitions/home.html", events=events)
