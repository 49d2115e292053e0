"""Accounts: creating users, checking passwords with throttling, one-time jury sign-in links."""

import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.models import LoginFailure, LoginLink, User
from accounts.states import LinkRevoked, Role
from audit.services import record
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


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


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


def _failures(email: str, address: str | None = None) -> tuple[int, datetime | None]:
    """How many failed sign-ins for the account (from `address` only, if given) within the
    window, and when the last one was."""
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    query = select(func.count(LoginFailure.id), func.max(LoginFailure.at)).where(
        LoginFailure.email == email, LoginFailure.at >= since
    )
    if address is not None:
        query = query.where(LoginFailure.address == address)
    count, last = db.session.execute(query).one()
    return count or 0, last


def login_delay(failures: int) -> timedelta:
    """The wait after `failures` failed sign-ins for one account from one address: none for the
    first few (typos), then doubling from LOGIN_FIRST_DELAY up to LOGIN_MAX_DELAY."""
    config = current_app.config
    beyond = failures - config["LOGIN_FREE_FAILURES"]
    if beyond < 0:
        return timedelta(0)
    return min(config["LOGIN_FIRST_DELAY"] * 2 ** min(beyond, 20), config["LOGIN_MAX_DELAY"])


def _check_throttle(email: str, address: str, *, known_device: bool) -> None:
    """Refuse while this address must wait for this account, or while the account has reached
    its ceiling of failures from everywhere (far higher: strangers on a few addresses cannot
    lock a person out; an organiser can unlock the account). A browser where the account signed
    in before (`known_device`) is spared the ceiling, never the delays of its address."""
    config = current_app.config
    if not known_device:
        total, _last = _failures(email)
        if total >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
            raise LoginThrottled(
                _l(
                    "Too many failed attempts for this account. Try again later, "
                    "or ask an organiser to unlock it."
                )
            )
    count, last = _failures(email, address)
    wait = (last + login_delay(count) - utcnow()) if last is not None else timedelta(0)
    if wait > timedelta(0):
        raise LoginThrottled(
            _l(
                "Too many failed attempts for this account from this device. "
                "Wait %(wait)s and try again.",
                wait=format_timedelta(
                    max(wait, timedelta(seconds=1)), threshold=1.5, add_direction=False
                ),
            )
        )


_DEVICE_SALT = "known-device"
_DEVICE_ACCOUNTS = 8  # a shared jury tablet remembers this many accounts at most


def known_device_token(user: User, earlier: str | None) -> str:
    """The signed value of the browser's known-device cookie once `user` signed in on it: the
    accounts that signed in there (no e-mail, no secret), the newest last."""
    ids = [i for i in read_known_device(earlier) if i != user.id]
    return _device_serializer().dumps([*ids, user.id][-_DEVICE_ACCOUNTS:])


def read_known_device(token: str | None) -> list[int]:
    """The accounts a known-device cookie vouches for; none if it is missing, forged or old."""
    if not token:
        return []
    max_age = current_app.config["KNOWN_DEVICE_MAX_AGE"]
    try:
        ids = _device_serializer().loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:  # SignatureExpired included
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_DEVICE_SALT)


@cache
def _dummy_hash() -> str:
    """A hash of a password nobody knows, made like the real ones (same method and cost)."""
    return generate_password_hash(secrets.token_urlsafe(24))


def authenticate(
    email: str, password: str, address: str, *, device_token: str | None = None
) -> User | None:
    """The user if the password is right. Throttling is keyed on the account + address (progressive
    delays) and on the account (a far higher ceiling), never on the address alone: a whole hall
    shares one public IP. An unknown, disabled or password-less account costs the same hash
    check as a known one, so the time taken does not tell which e-mails have an account.
    `device_token` is the browser's known-device cookie (`known_device_token`)."""
    email = normalise_email(email)
    address = (address or "?")[: LoginFailure.address.type.length]
    user = find_user(email)
    known = user is not None and user.id in read_known_device(device_token)
    _check_throttle(email, address, known_device=known)
    password_hash = user.password_hash if user is not None and user.active else None
    # The hash check is deliberately slow (scrypt): end the read-only transaction first, so that
    # on SQLite (where a POST holds the write lock from BEGIN IMMEDIATE) a hall of judges signing
    # in at once never queues behind each other's hashing. Nothing has been written yet.
    db.session.rollback()
    dummy = _dummy_hash()  # made by the first sign-in, whichever path it takes
    right = check_password_hash(password_hash or dummy, password)
    if right and password_hash:
        db.session.execute(
            delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.address == address)
        )
        return user
    db.session.add(LoginFailure(email=email, address=address))
    return None


def locked_accounts() -> list[dict]:
    """Accounts with failed sign-ins within the window, most failures first: each with its count,
    how many addresses they came from, and whether it has reached the ceiling."""
    config = current_app.config
    since = utcnow() - config["LOGIN_FAILURE_WINDOW"]
    rows = db.session.execute(
        select(
            User,
            func.count(LoginFailure.id),
            func.count(func.distinct(LoginFailure.address)),
            func.max(LoginFailure.at),
        )
        .join(LoginFailure, LoginFailure.email == func.lower(User.email))
        .where(LoginFailure.at >= since)
        .group_by(User.id)
        .order_by(func.count(LoginFailure.id).desc(), User.id)
    ).all()
    ceiling = config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    return [
        {"user": user, "failures": n, "addresses": a, "last": last, "locked": n >= ceiling}
        for user, n, a, last in rows
    ]


def unlock_account(user: User, *, by=None, source: str = "web") -> int:
    """Forget the account's failed sign-ins (every address): it can sign in again at once.
    Returns how many were forgotten; audited."""
    email = normalise_email(user.email)
    forgotten = db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    record("user", user.id, "unlocked", by=by, old={"failures": forgotten.rowcount}, source=source)
    return forgotten.rowcount


def set_password(user: User, password: str, *, by=None, source: str = "web") -> None:
    """A new password for the account; every session of it ends (a copied cookie stops working
    with the old password). Audited, without the password."""
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)
    record("user", user.id, "password_changed", by=by, source=source)


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
