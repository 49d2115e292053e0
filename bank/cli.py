import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from bank import services
from bank.workbook import LANGS, write_bank_workbook
from competitions.cli import event_or_exit
from extensions import db
from submissions import services as submission_services


@click.command("promote-winners")
@click.option("--event", "slug", required=True, help="the published event's slug")
@click.option("--include-bank-worthy", is_flag=True, help="also promote ideas marked bank-worthy")
@with_appcontext
def promote_winners(slug, include_bank_worthy):
    """Copy a published event's winners into the project bank (never twice)."""
    event = event_or_exit(slug)
    try:
        result = services.promote_winners(
            event, None, include_bank_worthy=include_bank_worthy, source="cli"
        )
    except services.PromotionError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        _(
            "%(city)s: %(created)d project(s) added to the bank, %(already)d already in the bank "
            "(left unchanged).",
            city=event.city,
            created=result["created"],
            already=result["already"],
        )
    )


@click.command("export-bank")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--lang", default="fr", type=click.Choice(LANGS), help="language of the headers")
@with_appcontext
def export_bank(output, lang):
    """Write the whole project bank (with contacts: organisers only) to an .xlsx file."""
    projects = services.all_matching(services.BankFilters())
    count = write_bank_workbook(output, projects, lang=lang, include_contact=True)
    click.echo(_("%(count)d project(s) written to %(path)s.", count=count, path=output))


@click.group("places")
def places_group():
    """Places of ideas and projects (HCP codes)."""


@places_group.command("unmapped")
@with_appcontext
def unmapped():
    """List the ideas and projects whose typed place matched no HCP place when places became
    codes; an organiser chooses each one's place on the bank's "Places to correct" page."""
    ideas = submission_services.ideas_to_place()
    projects = services.projects_to_place()
    for idea in ideas:
        click.echo(f"idea {idea.id}\t{idea.receipt_code}\t{idea.place_note}")
    for project in projects:
        click.echo(f"project {project.id}\t{project.title}\t{project.place_note}")
    click.echo(
        _(
            "%(ideas)d idea(s) and %(projects)d project(s) to place: %(url)s",
            ideas=len(ideas),
            projects=len(projects),
            url="/tour/bank/places",
        )
    )


commands = [promote_winners, export_bank, places_group]
