"""How the bank package hooks into lower floors (called once by the app factory)."""

from audit.history import describe_actions, describe_fields
from bank.accompaniment import remind_overdue_sweep
from bank.audit_actions import ACTIONS, FIELDS, VALUES
from bank.services import forget_contact, promoted_ideas, refresh_results
from bank.views import event_links
from bank.workbook import export_builder
from competitions.services import add_event_link_provider
from jobs.exports import register_export_builder
from jobs.worker import add_periodic_task
from judging.results import results_published
from submissions.privacy import add_keep_rule, idea_anonymised


def register() -> None:
    """The bank's workbook is built in the background by the jobs package; a published event's
    page links to the promotion of its winners; when amended results come into force, the
    bank's copies of those results follow; ideas promoted to the bank keep their personal data past
    their event's retention, and an idea erased at its participant's request loses the bank's
    copy of its contact too; each sweep of the worker reminds advisers of overdue milestones;
    the audit log names what the bank records."""
    register_export_builder("bank", export_builder)
    add_event_link_provider(event_links)
    results_published.connect(refresh_results)
    add_keep_rule(promoted_ideas)
    idea_anonymised.connect(forget_contact)
    add_periodic_task("milestone_reminders", remind_overdue_sweep)
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
