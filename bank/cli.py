import click
from flask.cli import with_appcontext
from sqlalchemy import select

from bank import services
from bank.workbook import LANGS, write_bank_workbook
from competitions.models import Event
from extensions import db


@click.command("promote-winners")
@click.option("--event", "slug", required=True, help="the published event's slug")
@click.option("--include-bank-worthy", is_flag=True, help="also promote ideas marked bank-worthy")
@with_appcontext
def promote_winners(slug, include_bank_worthy):
    """Copy a published event's winners into the project bank (never twice)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with the slug {slug!r}.")
    try:
        result = services.promote_winners(
            event, None, include_bank_worthy=include_bank_worthy, source="cli"
        )
    except services.PromotionError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"{event.slug}: {result['created']} project(s) added to the bank, "
        f"{result['already']} already in the bank (left unchanged)."
    )


@click.command("export-bank")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--lang", default="fr", type=click.Choice(LANGS), help="language of the headers")
@with_appcontext
def export_bank(output, lang):
    """Write the whole project bank (with contacts: organisers only) to an .xlsx file."""
    projects = db.session.scalars(select(services.BankProject).order_by(services.BankProject.id))
    count = write_bank_workbook(output, projects, lang=lang, include_contact=True)
    click.echo(f"Wrote {count} project(s) to {output}.")


commands = [promote_winners, export_bank]
