"""Commands for organisers who script: list the tour's events, move one along its lifecycle."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.models import User
from competitions import services
from competitions.errors import CompetitionError
from competitions.states import EventState
from extensions import db


def event_or_exit(slug: str):
    """The event with this slug, or a clear error and a non-zero exit (for every command)."""
    event = services.get_event(slug)
    if event is None:
        raise click.ClickException(_("No event with the address “%(slug)s”.", slug=slug))
    return event


@click.command("events")
@with_appcontext
def list_events():
    """List every event of the tour with its state."""
    events = services.tour_events()
    if not events:
        click.echo(_("No event yet."))
        return
    width = max(len(event.slug) for event in events)
    for event in events:
        click.echo(
            f"{event.slug:<{width}}  {event.date.isoformat()}  {event.state:<12}  {event.city}"
        )


@click.command("event-state")
@click.argument("slug")
@click.argument("state", type=click.Choice(EventState.values()))
@click.option(
    "--by", "by_email", default=None, help="e-mail of the organiser making the change (audit)"
)
@click.option("--yes", "confirmed", is_flag=True, help="confirm a step that cannot be undone")
@with_appcontext
def event_state(slug, state, by_email, confirmed):
    """Move an event to STATE, with the same rules as the web page (refused: non-zero exit).
    A step that cannot be undone says what it will do and needs --yes, as the page's box."""
    event = event_or_exit(slug)
    if services.move_needs_confirmation(event, state) and not confirmed:
        for notice in services.transition_notices(event, state):
            click.echo(notice["text"])
            for item in notice["items"]:
                click.echo(f"  - {item}")
        raise click.ClickException(_("This step cannot be undone: run it again with --yes."))
    by = None
    if by_email:
        by = db.session.scalar(
            select(User).where(func.lower(User.email) == by_email.strip().lower())
        )
        if by is None or not by.is_organiser:
            raise click.ClickException(
                _("No organiser account with the e-mail %(email)s.", email=by_email)
            )
    old = event.state
    try:
        services.transition(event, state, by=by, source="cli")
    except CompetitionError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{event.slug}: {old} → {state}")


commands = [list_events, event_state]
