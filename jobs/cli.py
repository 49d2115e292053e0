import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from extensions import settle_process
from jobs.mail import send_pending
from jobs.worker import run_worker, sweep


@click.command("send-pending")
@click.option("--retry-now", is_flag=True, help="also send messages waiting for their next try")
@with_appcontext
def send_pending_command(retry_now):
    """Send the e-mails waiting in the outbox (those due now)."""
    counts = send_pending(retry_now=retry_now)
    click.echo(
        _(
            "Sent: %(sent)d; to retry later: %(retry)d; failed: %(failed)d; skipped: %(skipped)d.",
            **counts,
        )
    )


@click.command("worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@click.option("--interval", default=60, show_default=True, help="seconds between outbox sweeps")
@click.option("--name", default=None, help="worker name (default: host and pid)")
@with_appcontext
def worker_command(burst, interval, name):
    """Run an rq worker on RQ_QUEUE; start several for parallelism. Also sweeps the outbox."""
    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            _(
                "REDIS_URL is not set: jobs run in-process, no worker is needed "
                "(use send-pending to send waiting e-mails)."
            )
        )
    with app.app_context():
        sweep()  # what waited while no worker ran (e.g. Redis was down)
    settle_process()  # as a web worker is once the app is loaded
    run_worker(app, burst=burst, interval=interval, name=name)


commands = [send_pending_command, worker_command]
