"""Paper fallback for the jury: write the score sheet, import it once filled."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from competitions.cli import event_or_exit
from extensions import db
from judging import paper
from judging.services import JudgingError


@click.command("score-sheet")
@click.option("--event", "slug", required=True, help="the event's slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx")
@with_appcontext
def score_sheet(slug, output):
    """Write the paper score sheet: one row per (idea, assigned judge), a column per criterion."""
    path = paper.write_score_sheet(event_or_exit(slug), output)
    click.echo(_("%(path)s written.", path=path))


@click.command("import-scores")
@click.option("--event", "slug", required=True, help="the event's slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_scores(slug, file):
    """Import a filled score sheet as submitted sheets (all or nothing)."""
    event = event_or_exit(slug)
    try:
        with open(file, "rb") as stream:
            done = paper.import_score_sheet(event, stream, None, source="cli")
    except JudgingError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(paper.import_summary(done))


@click.command("carry-winners")
@click.option("--event", "slug", required=True, help="the national final's slug")
@with_appcontext
def carry_winners(slug):
    """Carry every published stop's winners into the national final (idempotent)."""
    from judging.deliberation import carry_winners_to_final

    try:
        created = carry_winners_to_final(event_or_exit(slug))
    except JudgingError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("%(n)d winners carried into the final.", n=len(created)))


commands = [score_sheet, import_scores, carry_winners]
