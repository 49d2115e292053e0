"""Accounts: creating users, checking passwords with throttling, one-time jury sign-in links."""

import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.models import LoginFailure, LoginLink, User
from accounts.states import LinkRevoked, Role
from extensions import db, utcnow
from fieldtypes import Email, FieldError, Text
from refusals import Gone, Refusal, Throttled

_LINK_SALT = "jury-login-link"
_COMMON_PASSWORDS = {"password", "motdepasse", "azerty123", "12345678", "123456789", "qwerty123"}


class AccountError(Refusal):
    """A user-facing reason why an account operation was refused."""


EMAIL = Email(User.email.type.length, required=True)
NAME = Text.of(User.name, required=True)


class LinkRefused(AccountError, Gone):
    """A jury card's sign-in link that can no longer be used (expired, used, invalid)."""


class LoginThrottled(AccountError, Throttled):
    """Too many recent failures for this account: wait before trying again."""


def load_user(user_id: str) -> User | None:
    """The session's user, if the session is not older than the account's last `end_sessions`
    (the cookie holds `id:version`; a bare id is version 0)."""
    number, _sep, version = str(user_id).partition(":")
    if not number.isdigit() or not (version or "0").isdigit():
        return None
    user = db.session.get(User, int(number))
    if user is None or user.session_version != int(version or "0"):
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign the account out everywhere at once: every session cookie issued so far stops loading."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str) -> None:
    if len(password) < 10:
        raise AccountError(_l("The password must have at least 10 characters."))
    if password.lower() in _COMMON_PASSWORDS or len(set(password)) < 4:
        raise AccountError(_l("This password is too easy to guess."))
    if not (re.search(r"[A-Za-z]", password) and re.search(r"[^A-Za-z]", password)):
        raise AccountError(_l("The password must mix letters with digits or symbols."))


def create_user(
    email: str, name: str, role: str, password: str | None = None, locale: str | None = None
) -> User:
    """Validate everything first, so that a refused user writes nothing."""
    if Role.parse(role) is None:
        raise AccountError(
            _l("Unknown role %(role)s: use one of %(roles)s.", role=role, roles=", ".join(Role))
        )
    try:
        email = EMAIL.parse(normalise_email(email))
    except FieldError as error:
        raise AccountError(error.message, "email") from None
    try:
        name = NAME.parse(name)
    except FieldError as error:
        raise AccountError(error.message, "name") from None
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        raise AccountError(
            _l("An account with the e-mail %(email)s already exists.", email=email), "email"
        )
    if password is not None:
        check_password_strength(password)
    user = User(
        email=email,
        name=name,
        role=role,
        locale=locale,
        password_hash=generate_password_hash(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _recent_failures(email: str, address: str | None = None) -> int:
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    query = select(func.count(LoginFailure.id)).where(
        LoginFailure.email == email, LoginFailure.at >= since
    )
    if address is not None:
        query = query.where(LoginFailure.address == address)
    return db.session.scalar(query) or 0


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user if the password is right. Throttling is keyed on the account and on
    account + address, never on the address alone: a whole hall shares one public IP."""
    email = normalise_email(email)
    config = current_app.config
    failures = _recent_failures(email)
    if (
        _recent_failures(email, address) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
        or failures >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    ):
        minutes = max(1, int(config["LOGIN_FAILURE_WINDOW"].total_seconds() // 60))
        raise LoginThrottled(
            _l(
                "Too many failed attempts for this account. "
                "Wait %(minutes)d minutes and try again.",
                minutes=minutes,
            )
        )
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    password_hash = user.password_hash if user is not None and user.active else None
    # The hash check is deliberately slow (scrypt): end the read-only transaction first, so that
    # on SQLite (where a POST holds the write lock from BEGIN IMMEDIATE) a hall of judges signing
    # in at once never queues behind each other's hashing. Nothing has been written yet.
    db.session.rollback()
    if password_hash and check_password_hash(password_hash, password):
        if failures:
            db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
        return user
    db.session.add(LoginFailure(email=email, address=address or "?"))
    return None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_LINK_SALT)


def make_login_link_token(user: User, *, event_id: int | None = None) -> str:
    """A signed, expiring, one-time token for a jury card's QR code (of the event's cards)."""
    nonce = secrets.token_urlsafe(24)
    max_age: timedelta = current_app.config["JURY_LINK_MAX_AGE"]
    db.session.add(
        LoginLink(nonce=nonce, user_id=user.id, event_id=event_id, expires_at=utcnow() + max_age)
    )
    db.session.flush()
    return _serializer().dumps({"u": user.id, "n": nonce})


REVOKED_MESSAGES = {
    LinkRevoked.REPLACED: _l(
        "This jury card was replaced by a newer one. Use your latest card, "
        "or ask an organiser for a new one."
    ),
    LinkRevoked.REMOVED: _l(
        "This jury card is no longer valid: its holder is no longer on the jury."
    ),
}


def revoke_login_links(event_id: int, reason: LinkRevoked, *, user_ids=None) -> int:
    """Revoke the jury-card links of an event (of some judges only, with `user_ids`); returns how
    many. Links made before cards belonged to an event (no event) of those judges go too."""
    owners = LoginLink.user_id.in_(list(user_ids)) if user_ids is not None else None
    scope = LoginLink.event_id == event_id
    if owners is not None:
        scope = or_(scope, LoginLink.event_id.is_(None)) & owners
    result = db.session.execute(
        update(LoginLink)
        .where(scope, LoginLink.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def check_login_link(token: str) -> User:
    """The user behind a valid, unused link; AccountError with the reason otherwise."""
    max_age: timedelta = current_app.config["JURY_LINK_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise LinkRefused(
            _l("This sign-in link has expired. Ask an organiser for a new card.")
        ) from None
    except BadSignature:
        raise LinkRefused(_l("This sign-in link is not valid.")) from None
    link = db.session.scalar(select(LoginLink).where(LoginLink.nonce == data.get("n")))
    if link is None or link.user_id != data.get("u"):
        raise LinkRefused(_l("This sign-in link is not valid."))
    if link.revoked_at is not None:
        raise LinkRefused(REVOKED_MESSAGES[LinkRevoked(link.revoked_reason)])
    if link.expires_at < utcnow():
        raise LinkRefused(_l("This sign-in link has expired. Ask an organiser for a new card."))
    if link.used_at is not None:
        raise LinkRefused(
            _l("This sign-in link has already been used. Ask an organiser for a new card.")
        )
    user = db.session.get(User, link.user_id)
    if user is None or not user.active:
        raise LinkRefused(_l("This sign-in link is not valid."))
    return user


def use_login_link(token: str) -> User:
    """Check the link and mark it used, atomically: two taps never both sign in."""
    user = check_login_link(token)
    nonce = _serializer().loads(token)["n"]
    result = db.session.execute(
        update(LoginLink)
        .where(
            LoginLink.nonce == nonce, LoginLink.used_at.is_(None), LoginLink.revoked_at.is_(None)
        )
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:
        raise LinkRefused(
            _l("This sign-in link has already been used. Ask an organiser for a new card.")
        )
    return user


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
