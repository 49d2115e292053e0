"""The tour's pages: the public tour, the organiser's dashboard, event pages, rubrics, jury."""

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from accounts.decorators import event_permission, organiser_required, staff_required
from accounts.forms import EmptyForm
from accounts.models import User
from accounts.permissions import can
from accounts.states import Permission
from audit.services import entries_for_event
from competitions import services
from competitions.forms import (
    CompetitionForm,
    CriterionForm,
    EventForm,
    JuryForm,
    JuryRemovalForm,
    RubricNameForm,
)
from competitions.jury import assign_jury_by_email, jury_cards
from competitions.models import Competition, Criterion, Event, Rubric
from competitions.rubrics import criterion_data, form_levels, rubric_in_use, rubric_users
from extensions import db
from i18n import LANGUAGE_NAMES
from jobs.outbox import site_base_url
from refusals import form_refusals, on_refusal, see_other

bp = Blueprint("competitions", __name__)


def submission_url(event: Event) -> str:
    """The public submission page of an event (built by the submissions package)."""
    try:
        return url_for("submissions.submit", slug=event.slug)
    except BuildError:
        return f"/e/{event.slug}/submit"


@bp.app_context_processor
def _helpers():
    return {
        "state_labels": services.STATE_LABELS,
    }


def _event_or_404(slug: str) -> Event:
    return services.get_event(slug) or abort(404)


def _competition_or_404(slug: str) -> Competition:
    return services.get_competition(slug) or abort(404)


@bp.get("/")
def home():
    """The public page of the tour: its stops, in order, with links to open events."""
    competitions = db.session.scalars(
        select(Competition)
        .options(selectinload(Competition.events))
        .order_by(Competition.year.desc())
    ).all()
    return render_template(
        "competitions/home.html", competitions=competitions, submission_url=submission_url
    )


@bp.get("/tour")
@staff_required
def dashboard():
    """The organiser's timeline: every stop with its state, ideas and judging progress (a
    coordinator's region, a facilitator's events only)."""
    competitions = db.session.scalars(
        select(Competition)
        .options(selectinload(Competition.events).selectinload(Event.jury))
        .order_by(Competition.year.desc())
    ).all()
    shown = {
        competition.id: [
            event
            for event in competition.events
            if can(current_user, Permission.VIEW, event)
            or can(current_user, Permission.ASSIST, event)
        ]
        for competition in competitions
    }
    tour_manager = can(current_user, Permission.MANAGE_TOUR)
    if not tour_manager:
        competitions = [competition for competition in competitions if shown[competition.id]]
    event_ids = [event.id for events in shown.values() for event in events]
    return render_template(
        "competitions/dashboard.html",
        competitions=competitions,
        shown=shown,
        tour_manager=tour_manager,
        stats=services.event_stats(event_ids),
    )


# --- Competitions and events -------------------------------------------------------------------


@bp.route("/tour/competitions/new", methods=["GET", "POST"])
@organiser_required
def competition_new():
    form = CompetitionForm()
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            competition = services.create_competition(form.data, by=current_user)
            db.session.commit()
            flash(_("Competition created with the default rubric."), "success")
            return see_other(url_for(".dashboard", _anchor=f"competition-{competition.id}"))
    return render_template(
        "competitions/competition_form.html", form=form, competition=None
    ), refused.status


@bp.route("/tour/competitions/<slug>/edit", methods=["GET", "POST"])
@organiser_required
def competition_edit(slug: str):
    competition = _competition_or_404(slug)
    form = CompetitionForm(obj=competition)
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            services.update_competition(competition, form.data, by=current_user)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return see_other(url_for(".dashboard"))
    return render_template(
        "competitions/competition_form.html", form=form, competition=competition
    ), refused.status


@bp.route("/tour/competitions/<slug>/events/new", methods=["GET", "POST"])
@organiser_required
def event_new(slug: str):
    competition = _competition_or_404(slug)
    form = EventForm()
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            event = services.create_event(competition, form.data_for_service(), by=current_user)
            db.session.commit()
            flash(_("Event created, in draft."), "success")
            return see_other(url_for(".event_page", slug=event.slug))
    return render_template(
        "competitions/event_form.html", form=form, competition=competition, event=None
    ), refused.status


@bp.route("/tour/events/<slug>/edit", methods=["GET", "POST"])
@event_permission(Permission.MANAGE)
def event_edit(slug: str):
    event = _event_or_404(slug)
    form = EventForm(obj=event)
    if request.method == "GET":
        form.languages.data = event.language_list
        form.ranking_method.data = event.ranking_method or ""
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            services.update_event(event, form.data_for_service(), by=current_user)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return see_other(url_for(".event_page", slug=event.slug))
    return render_template(
        "competitions/event_form.html", form=form, competition=event.competition, event=event
    ), refused.status


# --- The event's page: lifecycle and jury --------------------------------------------------------


def _render_event_page(event: Event, jury_form=None, status: int = 200):
    # The actions the History card names (creation, settings, states); the others are audited
    # and shown on the pages of their own packages.
    state_changes = entries_for_event(
        event.id, limit=50, entity="event", actions=("create", "edit", "state")
    )
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.user_id for e in state_changes if e.user_id}))
        )
    }
    stats = services.event_stats([event.id]).get(event.id, {})
    return render_template(
        "competitions/event_page.html",
        event=event,
        transitions=services.transition_choices(event),
        panels=services.jury_by_panel(event),
        jury_form=jury_form or JuryForm(),
        action_form=EmptyForm(),
        event_links=services.event_links(event),
        history=state_changes,
        users=users,
        stats=stats,
        rubric_locked=bool(event.rubric and rubric_in_use(event.rubric)),
        submission_url=submission_url(event),
    ), status


@bp.get("/tour/events/<slug>")
@event_permission(Permission.VIEW)
def event_page(slug: str):
    return _render_event_page(_event_or_404(slug))


# A refused action on the event's page shows the page again, with the reason and its status.
_refusals_show_event_page = on_refusal(event_page)


def _render_move_confirmation(event: Event, new_state: str, status: int = 200):
    """The confirmation page (a refused move shows why, and no button)."""
    refusal = services.transition_refusal(event, new_state)
    return render_template(
        "competitions/confirm_move.html",
        event=event,
        new_state=new_state,
        label=services.TRANSITION_LABELS[(event.state, new_state)],
        notices=services.transition_notices(event, new_state) if refusal is None else [],
        refusal=refusal,
        action_form=EmptyForm(),
    ), status


@bp.get("/tour/events/<slug>/state/<new_state>")
@event_permission(Permission.MANAGE)
def event_state_confirm(slug: str, new_state: str):
    """The page that says what a move that cannot be undone will do, before it is made."""
    event = _event_or_404(slug)
    if not services.move_needs_confirmation(event, new_state):
        abort(404)
    return _render_move_confirmation(event, new_state)


@bp.post("/tour/events/<slug>/state")
@event_permission(Permission.MANAGE)
@_refusals_show_event_page
def event_state(slug: str):
    """Move the event along its lifecycle; the server enforces the rules, not the buttons:
    a move that cannot be undone needs the confirmation of its page."""
    event = _event_or_404(slug)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    new_state = request.form.get("state", "")
    if services.move_needs_confirmation(event, new_state) and request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that you have read what this step does."), "danger")
        return _render_move_confirmation(event, new_state, status=422)
    services.transition(event, new_state, by=current_user, source="web")
    db.session.commit()
    flash(_("The event is now: %(state)s.", state=services.STATE_LABELS[new_state]), "success")
    return see_other(url_for(".event_page", slug=event.slug))


@bp.post("/tour/events/<slug>/jury")
@event_permission(Permission.MANAGE)
def jury_add(slug: str):
    event = _event_or_404(slug)
    form = JuryForm()
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            member = assign_jury_by_email(
                event,
                form.email.data,
                form.name.data,
                form.panel.data,
                is_president=form.is_president.data,
                locale=form.locale.data if form.locale.data in LANGUAGE_NAMES else None,
                by=current_user,
            )
            db.session.commit()
            flash(
                _(
                    "%(name)s is on the jury (panel %(panel)d).",
                    name=member.user.name,
                    panel=member.panel,
                ),
                "success",
            )
            return see_other(url_for(".event_page", slug=event.slug, _anchor="jury"))
    return _render_event_page(event, jury_form=form, status=refused.status)


def _seated_judge_or_404(event: Event, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not any(m.user_id == user.id for m in event.jury):
        abort(404)
    return user


@bp.route("/tour/events/<slug>/jury/<int:user_id>/remove", methods=["GET", "POST"])
@event_permission(Permission.MANAGE)
def jury_remove(slug: str, user_id: int):
    """Taking a judge off the jury asks first (GET: what will happen to their sheets); the POST
    carries the organiser's choice for the submitted sheets."""
    event = _event_or_404(slug)
    user = _seated_judge_or_404(event, user_id)
    form = JuryRemovalForm()
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            services.remove_jury(event, user, by=current_user, submitted=form.submitted.data)
            db.session.commit()
            flash(_("%(name)s is no longer on the jury.", name=user.name), "success")
            return see_other(url_for(".event_page", slug=event.slug, _anchor="jury"))
    return render_template(
        "competitions/jury_remove.html",
        event=event,
        judge=user,
        form=form,
        counts=services.judge_sheet_counts(event, user),
        frozen=event.judging_closed,
    ), refused.status


@bp.post("/tour/events/<slug>/jury/<int:user_id>/role")
@event_permission(Permission.MANAGE)
@_refusals_show_event_page
def jury_role(slug: str, user_id: int):
    """Name the jury's president or secretary (or make a judge a plain member again)."""
    event = _event_or_404(slug)
    user = db.session.get(User, user_id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.set_jury_role(event, user, request.form.get("role", ""), by=current_user)
    db.session.commit()
    flash(_("Jury roles saved."), "success")
    return see_other(url_for(".event_page", slug=event.slug, _anchor="jury"))


@bp.post("/tour/events/<slug>/jury/cards")
@event_permission(Permission.MANAGE)
def jury_cards_page(slug: str):
    """Printable jury cards. POST: each card holds a fresh one-time link (a write)."""
    event = _event_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    base = site_base_url()  # the address the tablets will reach
    cards = jury_cards(
        event,
        lambda token: base + url_for("accounts.login_link", token=token),
        send_email=bool(request.form.get("email")),
        by=current_user,
    )
    db.session.commit()
    return render_template(
        "competitions/jury_cards.html",
        event=event,
        cards=cards,
        emailed=bool(request.form.get("email")),
    )


# --- Rubrics -------------------------------------------------------------------------------------


def _rubric_or_404(rubric_id: int) -> Rubric:
    return db.session.get(Rubric, rubric_id) or abort(404)


def _render_rubric(rubric: Rubric, status: int = 200):
    competitions, events = rubric_users(rubric)
    return render_template(
        "competitions/rubric.html",
        rubric=rubric,
        locked=rubric_in_use(rubric),
        competitions=competitions,
        events=events,
        action_form=EmptyForm(),
        previous=db.session.get(Rubric, rubric.previous_id) if rubric.previous_id else None,
    ), status


@bp.get("/tour/rubrics/<int:rubric_id>")
@organiser_required
def rubric(rubric_id: int):
    return _render_rubric(_rubric_or_404(rubric_id))


@bp.route("/tour/rubrics/<int:rubric_id>/name", methods=["GET", "POST"])
@organiser_required
def rubric_name(rubric_id: int):
    """The rubric's name in French, Arabic and English."""
    rubric = _rubric_or_404(rubric_id)
    form = RubricNameForm(obj=rubric)
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            services.rename_rubric(rubric, form.data, by=current_user)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return see_other(url_for(".rubric", rubric_id=rubric.id))
    return render_template(
        "competitions/rubric_name.html", form=form, rubric=rubric
    ), refused.status


def _criterion_or_404(criterion_id: int) -> Criterion:
    return db.session.get(Criterion, criterion_id) or abort(404)


def _criterion_form_for(criterion: Criterion | None) -> CriterionForm:
    """The form with a descriptor field for each whole level of the scale posted (or saved)."""
    levels = form_levels(request.form.get("scale_min"), request.form.get("scale_max"), criterion)
    return CriterionForm.for_levels(levels)


def _criterion_form(form, rubric: Rubric, criterion: Criterion | None, status: int):
    return render_template(
        "competitions/criterion_form.html",
        form=form,
        rubric=rubric,
        criterion=criterion,
        locked=rubric_in_use(rubric),
    ), status


@bp.route("/tour/rubrics/<int:rubric_id>/criteria/new", methods=["GET", "POST"])
@organiser_required
def criterion_new(rubric_id: int):
    rubric = _rubric_or_404(rubric_id)
    form = _criterion_form_for(None)
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            services.add_criterion(rubric, form.data_for_service(), by=current_user)
            db.session.commit()
            flash(_("Criterion added."), "success")
            return see_other(url_for(".rubric", rubric_id=rubric.id))
    return _criterion_form(form, rubric, None, refused.status)


@bp.route("/tour/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@organiser_required
def criterion_edit(criterion_id: int):
    criterion = _criterion_or_404(criterion_id)
    rubric = criterion.rubric
    form = _criterion_form_for(criterion)
    if request.method == "GET":
        form.fill(criterion_data(criterion))
    refused = form_refusals(form)
    if form.validate_on_submit():
        with refused:
            services.update_criterion(criterion, form.data_for_service(), by=current_user)
            db.session.commit()
            flash(_("Criterion saved."), "success")
            return see_other(url_for(".rubric", rubric_id=rubric.id))
    return _criterion_form(form, rubric, criterion, refused.status)


@bp.post("/tour/criteria/<int:criterion_id>/delete")
@organiser_required
@on_refusal(lambda criterion_id: _render_rubric(_criterion_or_404(criterion_id).rubric))
def criterion_delete(criterion_id: int):
    criterion = _criterion_or_404(criterion_id)
    rubric = criterion.rubric
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_criterion(criterion, by=current_user)
    db.session.commit()
    flash(_("Criterion deleted."), "success")
    return see_other(url_for(".rubric", rubric_id=rubric.id))


@bp.post("/tour/rubrics/<int:rubric_id>/version")
@organiser_required
@on_refusal(rubric)
def rubric_new_version(rubric_id: int):
    rubric = _rubric_or_404(rubric_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    copy = services.new_rubric_version(rubric, by=current_user)
    db.session.commit()
    flash(
        _(
            "Version %(version)d created: edit it here. Scores already given keep the previous version.",
            version=copy.version,
        ),
        "success",
    )
    return see_other(url_for(".rubric", rubric_id=copy.id))


@bp.post("/tour/events/<slug>/rubric/copy")
@event_permission(Permission.MANAGE)
@_refusals_show_event_page
def rubric_copy_to_event(slug: str):
    event = _event_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    copy = services.copy_rubric_to_event(event, by=current_user)
    db.session.commit()
    flash(_("This event now has its own rubric."), "success")
    return see_other(url_for(".rubric", rubric_id=copy.id))
