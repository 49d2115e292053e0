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


def _user(email: str):
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(_("No account with the e-mail %(email)s.", email=email))
    return user


@click.command("unlock-account")
@click.option("--email", required=True)
@with_appcontext
def unlock_account(email):
    """Let an account locked by failed sign-ins sign in again at once (audited)."""
    user = _user(email)
    forgotten = services.unlock_account(user, source="cli")
    db.session.commit()
    click.echo(
        _("%(email)s can sign in again (%(n)d failed sign-ins forgotten).", email=user.email,
          n=forgotten)
    )  # fmt: skip


@click.command("set-password")
@click.option("--email", required=True)
@click.password_option()
@with_appcontext
def set_password(email, password):
    """Give an account a new password; every session of the account ends (audited)."""
    user = _user(email)
    try:
        services.set_password(user, password, source="cli")
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("New password set for %(email)s; its sessions have ended.", email=user.email))


commands = [create_user, unlock_account, set_password]
