"""Organisers manage the accounts of the organising side: invite by e-mail (a one-time link to
set a password), set the role, a coordinator's region and a facilitator's events, disable and
enable. Every change is audited; disabling ends the account's sessions at once."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from accounts.models import User, UserEvent
from accounts.permissions import event_choices, forget_assignments, region_choices
from accounts.services import (
    AccountError,
    LinkRefused,
    check_login_link,
    check_password_strength,
    create_user,
    end_sessions,
    make_login_link_token,
    use_login_link,
)
from accounts.states import Role
from audit.services import record
from extensions import db
from jobs.outbox import external_url, queue_email
from refusals import Conflict, Forbidden

ROLE_LABELS = {
    Role.ORGANISER: _l("Organiser"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.VIEWER: _l("Viewer"),
    Role.JURY: _l("Jury"),
}


class AccountForbidden(AccountError, Forbidden):
    """An organiser may not lock themselves out."""


class AccountConflict(AccountError, Conflict):
    """The account is not in a state that allows this."""


def _access(user: User) -> dict:
    return {"role": user.role, "region": user.region_code, "events": sorted(assigned_events(user))}


def assigned_events(user: User) -> list[int]:
    return list(db.session.scalars(select(UserEvent.event_id).where(UserEvent.user_id == user.id)))


def _clean_access(role, region, event_ids) -> tuple[Role, str | None, list[int]]:
    """The role (staff roles only), a coordinator's region, a facilitator's events; refuses
    anything else with the field's message."""
    role = Role.parse(role)
    if role not in Role.STAFF:
        raise AccountError(_l("Choose a role among those offered."), "role")
    region = (region or "").strip() or None
    if role == Role.COORDINATOR:
        if region not in region_choices():
            raise AccountError(_l("Choose the coordinator's region."), "region")
    else:
        region = None
    ids: list[int] = []
    if role == Role.FACILITATOR:
        known = {event_id for event_id, _label in event_choices()}
        for raw in event_ids or ():
            if not str(raw).isdigit() or int(raw) not in known:
                raise AccountError(_l("Choose events among those offered."), "events")
            ids.append(int(raw))
        if not ids:
            raise AccountError(_l("Give the facilitator at least one event."), "events")
    return role, region, sorted(set(ids))


def _write_access(user: User, region, ids) -> None:
    user.region_code = region
    db.session.execute(delete(UserEvent).where(UserEvent.user_id == user.id))
    db.session.add_all(UserEvent(user_id=user.id, event_id=event_id) for event_id in ids)
    db.session.flush()
    forget_assignments()


def invite_user(email, name, role, *, region=None, event_ids=(), locale=None, by) -> User:
    """A new account without a password and its invitation e-mail (a one-time link to choose
    the password), through the outbox."""
    role, region, ids = _clean_access(role, region, event_ids)
    user = create_user(email, name, role, None, locale)
    _write_access(user, region, ids)
    _send_invitation(user, by)
    record("user", user.id, "invite", by=by, new={"email": user.email, **_access(user)})
    return user


def resend_invitation(user: User, *, by) -> None:
    """A new invitation link (for an account that has not chosen its password yet)."""
    if user.role not in Role.STAFF:
        raise AccountConflict(_l("Jury accounts are managed from their event's page."))
    if user.password_hash:
        raise AccountConflict(_l("This account already has a password."))
    _send_invitation(user, by)
    record("user", user.id, "invite_again", by=by)


def _send_invitation(user: User, by) -> None:
    token = make_login_link_token(user)
    url = external_url("accounts.invitation", token=token)
    queue_email(
        kind="account_invitation",
        to=user.email,
        locale=user.locale or "fr",
        template="account_invitation",
        context={"user": user, "login_url": url, "by_name": by.name if by else ""},
        dedupe_key=f"account_invitation:{user.id}:{token[-12:]}",
    )


def set_access(user: User, role, region=None, event_ids=(), *, by) -> None:
    """Change an account's role, region and events (audited, old and new)."""
    if user.role not in Role.STAFF:
        raise AccountConflict(_l("Jury accounts are managed from their event's page."))
    role, region, ids = _clean_access(role, region, event_ids)
    if user.id == by.id and role != Role.ORGANISER:
        raise AccountForbidden(_l("You cannot take away your own organiser rights."), "role")
    old = _access(user)
    user.role = role
    _write_access(user, region, ids)
    record("user", user.id, "access", by=by, old=old, new=_access(user))


def set_active(user: User, active: bool, *, by) -> None:
    """Disable (every session of the account ends at once) or enable an account."""
    if user.id == by.id and not active:
        raise AccountForbidden(_l("You cannot disable your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(user)
    db.session.flush()
    record("user", user.id, "enable" if active else "disable", by=by)


def invited_user(token: str) -> User:
    """The account an invitation link is for: a staff account without a password yet (a jury
    card's link is no invitation)."""
    user = check_login_link(token)
    if user.role not in Role.STAFF or user.password_hash:
        raise LinkRefused(_l("This sign-in link is not valid."))
    return user


def accept_invitation(token: str, password: str, confirmation: str) -> User:
    """The invited person chooses their password; the link is then used up."""
    invited_user(token)
    if password != confirmation:
        raise AccountError(_l("The two passwords differ."), "confirmation")
    check_password_strength(password)
    user = use_login_link(token)
    user.password_hash = generate_password_hash(password)
    db.session.flush()
    record("user", user.id, "password_set", by=user)
    return user


def staff_accounts() -> list[User]:
    """Every account of the organising side, by name."""
    return list(
        db.session.scalars(select(User).where(User.role.in_(Role.STAFF)).order_by(User.name))
    )
