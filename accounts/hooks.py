"""How the accounts package hooks into the audit log (called once by the app factory)."""

from accounts.audit_actions import ACTIONS, FIELDS, VALUES
from audit.history import describe_actions, describe_fields


def register() -> None:
    """The audit log names what accounts record: sign-ins, invitations, roles, passwords."""
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
