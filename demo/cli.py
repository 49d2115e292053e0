import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from demo.seed import seed_demo
from extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo tour (12 stops, jury, sample ideas, some scores). Safe to run twice."""
    summary = seed_demo()
    db.session.commit()
    click.echo(
        _(
            "Tour ready: %(events)d events, %(ideas)d ideas (%(new_ideas)d new), "
            "%(scores)d scores (%(new_scores)d new).",
            **{k: v for k, v in summary.items() if k != "accounts"},
        )
    )
    click.echo("")
    click.echo(_("Demo accounts (demo passwords: change them before any real use):"))
    for role, email, password, where in summary["accounts"]:
        click.echo(f"  {role:<10} {email:<40} {password:<20} {where}")


commands = [seed_demo_command]
