"""How core hooks into the audit log (called once by the app factory)."""

from audit.history import describe_actions
from core.audit_actions import ACTIONS


def register() -> None:
    """The audit log names the downloads core records."""
    describe_actions(ACTIONS)
