import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from accounts import services
from extensions import db
from i18n import LANGUAGE_NAMES


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help="organiser, coordinator, facilitator, viewer or jury")
@click.option("--password", default=None, help="omit for a jury member who signs in by link")
@click.option("--locale", default=None, type=click.Choice(list(LANGUAGE_NAMES)))
@with_appcontext
def create_user(email, name, role, password, locale):
    """Create an account (a coordinator's region and a facilitator's events are set on the
    Accounts page)."""
    try:
        user = services.create_user(email, name, role, password, locale)
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Account created: %(email)s (%(role)s).", email=user.email, role=user.role))


commands = [create_user]
