"""Paper fallback from the command line: the Excel template and its all-or-nothing import;
the retention of personal data (Law 09-08); attachments moved into the shared file store."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from competitions.cli import event_or_exit
from extensions import db
from submissions import attachments, paper, privacy
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


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="say what would be erased, change nothing")
@with_appcontext
def retention(dry_run):
    """Erase the personal data of ideas whose event's retention period has run out (ideas
    promoted to the project bank are kept); audited."""
    plan = privacy.retention_plan()
    for due in plan:
        click.echo(
            _(
                "%(event)s: published %(published)s, kept until %(due)s: %(n)d ideas to "
                "anonymise, %(kept)d kept (project bank).",
                event=due.event.slug,
                published=due.published_at.date().isoformat(),
                due=due.due_at.date().isoformat(),
                n=len(due.idea_ids),
                kept=due.kept,
            )
        )
    if dry_run:
        click.echo(_("Dry run: nothing was changed."))
        return
    done = privacy.apply_retention(source="cli")
    db.session.commit()
    click.echo(_("%(n)d ideas anonymised.", n=sum(done.values())))


@click.command("move-attachments")
@with_appcontext
def move_attachments():
    """Move the attachments kept in UPLOADS_DIR into the configured file store (FILE_STORE),
    one file per commit; run it again after an interruption: what is moved is not moved twice."""
    moved = 0
    for key, path in attachments.files_to_move():
        if attachments.move_to_store(key, path):
            moved += 1
        db.session.commit()
        path.unlink()
    click.echo(_("%(n)d attachments moved into the file store.", n=moved))


commands = [ideas_template, import_ideas, retention, move_attachments]
