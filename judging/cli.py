"""Paper fallback for the jury: write the score sheet, import it once filled."""

import click
from flask.cli import with_appcontext

from competitions.models import Event
from competitions.services import get_event
from extensions import db
from judging import paper
from judging.services import JudgingError


def _event(slug: str) -> Event:
    event = get_event(slug)
    if event is None:
        raise click.ClickException(f"No event with the slug {slug!r}.")
    return event


@click.command("score-sheet")
@click.option("--event", "slug", required=True, help="the event's slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx")
@with_appcontext
def score_sheet(slug, output):
    """Write the paper score sheet: one row per (idea, assigned judge), a column per criterion."""
    path = paper.write_score_sheet(_event(slug), output)
    click.echo(f"Wrote {path}.")


@click.command("import-scores")
@click.option("--event", "slug", required=True, help="the event's slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_scores(slug, file):
    """Import a filled score sheet as submitted sheets (all or nothing)."""
    event = _event(slug)
    try:
        with open(file, "rb") as stream:
            count = paper.import_score_sheet(event, stream, None, source="cli")
    except JudgingError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Imported {count} score sheets.")


@click.command("carry-winners")
@click.option("--event", "slug", required=True, help="the national final's slug")
@with_appcontext
def carry_winners(slug):
    """Carry every published stop's winners into the national final (idempotent)."""
    from judging.deliberation import carry_winners_to_final

    try:
        created = carry_winners_to_final(_event(slug))
    except JudgingError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{len(created)} winners carried into {slug}.")


commands = [score_sheet, import_scores, carry_winners]
