import click
from flask.cli import with_appcontext

from demo.seed import seed_demo
from extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo tour (12 stops, jury, sample ideas, some scores). Safe to run twice."""
    summary = seed_demo()
    db.session.commit()
    click.echo(
        f"Tour ready: {summary['events']} events, {summary['ideas']} ideas "
        f"({summary['new_ideas']} new), {summary['scores']} scores ({summary['new_scores']} new)."
    )
    click.echo("")
    click.echo("Demo accounts (demo passwords, change them before any real use):")
    for role, email, password, where in summary["accounts"]:
        click.echo(f"  {role:<10} {email:<40} {password:<20} {where}")


commands = [seed_demo_command]
