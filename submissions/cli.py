"""Paper fallback from the command line: the Excel template and its all-or-nothing import."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from competitions.cli import event_or_exit
from extensions import db
from submissions import paper
from submissions.services import EventClosed


@click.command("ideas-template")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="where to write the .xlsx template",
)
@with_appcontext
def ideas_template(output):
    """Write the Excel template for typing in ideas collected on paper."""
    paper.build_template().save(output)
    click.echo(_("%(path)s written.", path=output))


@click.command("import-ideas")
@click.option("--event", "slug", required=True, help="the event's slug, e.g. oujda-2025")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_ideas(slug, file):
    """Import a filled template into an open event: every row or none."""
    event = event_or_exit(slug)
    try:
        created, repeated = paper.import_ideas(event, Path(file).read_bytes())
    except paper.ImportRejected as rejected:
        db.session.rollback()
        raise click.ClickException(
            _("Nothing was imported.") + "\n" + "\n".join(str(m) for m in rejected.messages)
        ) from None
    except EventClosed:
        db.session.rollback()
        raise click.ClickException(_("This event is not accepting ideas.")) from None
    db.session.commit()
    click.echo(_("%(n)d ideas imported.", n=len(created)))
    if repeated:
        click.echo(
            _("%(n)d rows were already imported from this file and were skipped.", n=repeated)
        )


commands = [ideas_template, import_ideas]
