import os
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from i18n import LANGUAGE_NAMES
from reporting import services


@click.command("export-rankings")
@click.option("--event", "slug", default=None, help="the event's address (slug)")
@click.option("--all", "whole_tour", is_flag=True, help="every event of the tour")
@click.option("--competition", default=None, help="with --all: the tour's slug (default: latest)")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx")
@click.option("--lang", default="fr", type=click.Choice(list(LANGUAGE_NAMES)), show_default=True)
@click.option("--with-contacts", is_flag=True, help="include the team leads' phones and e-mails")
@with_appcontext
def export_rankings(slug, whole_tour, competition, output, lang, with_contacts):
    """Write the Excel rankings of one event (--event SLUG) or of the whole tour (--all)."""
    if bool(slug) == bool(whole_tour):
        raise click.UsageError(_("Give either --event SLUG or --all."))
    target = Path(output)
    if target.suffix.lower() != ".xlsx":
        raise click.UsageError(_("The output file must end in .xlsx."))
    if not target.parent.is_dir():
        raise click.ClickException(_("The folder %(folder)s does not exist.", folder=target.parent))
    try:
        events = [services.event_by_slug(slug)] if slug else services.tour_events(competition)
    except services.ReportError as error:
        raise click.ClickException(str(error)) from None
    # Written beside the target, then moved into place: never a half-written workbook.
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".rankings-", suffix=".part")
    os.close(handle)
    try:
        services.write_workbook(partial, events, lang, include_personal=with_contacts)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    click.echo(_("Wrote %(path)s (%(count)d events).", path=target, count=len(events)))


commands = [export_rankings]
