"""Jury panels: who judges an event, on which panel. (Which ideas each judge scores, with K
judges per idea and no conflicts, is the judging package's job.)"""

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import User
from accounts.services import (
    EMAIL,
    AccountError,
    create_user,
    end_sessions,
    normalise_email,
    revoke_login_links,
)
from accounts.states import LinkRevoked, Role
from audit.services import record
from competitions.errors import JuryConflict, JuryError
from competitions.models import Event, JuryMember
from competitions.signals import jury_member_removed, jury_member_seated
from competitions.states import JuryRole, RemovalChoice
from extensions import db
from fieldtypes import FieldError, Integer

MAX_PANELS = 20
PANEL = Integer(1, MAX_PANELS, required=True)


def create_jury_member(
    email: str, name: str, *, locale: str | None = None, password: str | None = None
) -> User:
    """A jury account (no password: they sign in with the QR code of their jury card)."""
    try:
        return create_user(email, name, Role.JURY, password, locale)
    except AccountError as error:
        raise JuryError(error.message, error.field or "email") from None


def _check_panel(event: Event, panel) -> int:
    try:
        panel = PANEL.parse(panel)
    except FieldError as error:
        raise JuryError(error.message, "panel") from None
    if panel > 1 and not event.split_panels:
        raise JuryError(
            _l("This event is not split into panels: every judge sits on panel 1."), "panel"
        )
    return panel


def assign_jury(
    event: Event,
    user: User,
    panel: int = 1,
    *,
    is_president: bool = False,
    by=None,
    source: str = "web",
) -> JuryMember:
    """Put a jury member on the event's jury (or move them to another panel)."""
    if event.judging_closed:  # the jury that gave the scores is the jury of record
        raise JuryConflict(_l("The jury can no longer change: deliberation has started."))
    if not user.is_jury:
        raise JuryError(
            _l("%(name)s is an organiser account, not a jury account.", name=user.name), "email"
        )
    if not user.active:
        raise JuryError(_l("The account of %(name)s is disabled.", name=user.name), "email")
    panel = _check_panel(event, panel)
    member = db.session.scalar(
        select(JuryMember).where(JuryMember.event_id == event.id, JuryMember.user_id == user.id)
    )
    old = {"panel": member.panel, "is_president": member.is_president} if member else None
    if member is None:
        member = JuryMember(event=event, user=user)
        db.session.add(member)
    member.panel = panel
    if is_president:
        _take_role(event, "is_president", member)
    member.is_president = bool(is_president)
    db.session.flush()
    if old is None:
        jury_member_seated.send(event, user=user, by=by)
    record(
        "jury",
        user.id,
        "assign",
        by=by,
        event_id=event.id,
        old=old,
        source=source,
        new={"panel": panel, "is_president": member.is_president},
    )
    return member


def assign_jury_by_email(
    event: Event,
    email: str,
    name: str | None,
    panel: int = 1,
    *,
    is_president: bool = False,
    locale: str | None = None,
    by=None,
) -> JuryMember:
    """The organiser's one-step form: an existing jury account by e-mail, or a new one."""
    try:
        email = EMAIL.parse(normalise_email(email))
    except FieldError as error:
        raise JuryError(error.message, "email") from None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        if not (name or "").strip():
            raise JuryError(
                _l("No account has this e-mail: give the new jury member's name."), "name"
            )
        _check_panel(event, panel)
        user = create_jury_member(email, name, locale=locale)
    return assign_jury(event, user, panel, is_president=is_president, by=by)


# What becomes of a removed judge's submitted sheets: the organiser must choose.
SUBMITTED_CHOICES = {
    RemovalChoice.KEEP: _l("Keep their submitted sheets: they still count in the ranking"),
    RemovalChoice.VOID: _l("Void their submitted sheets: they no longer count"),
}
SheetCounter = Callable[[Event, User], dict]
_sheet_counters: list[SheetCounter] = []


def add_judge_sheet_counter(fn: SheetCounter) -> SheetCounter:
    """Register `fn(event, user) -> {"open": n, "submitted": n}`: the judge's sheets, counted for
    the removal's confirmation page (the tour knows nothing of sheets)."""
    if fn not in _sheet_counters:
        _sheet_counters.append(fn)
    return fn


def judge_sheet_counts(event: Event, user: User) -> dict:
    """The judge's sheets in the event: `open` (to score or in progress) and `submitted`."""
    counts = {"open": 0, "submitted": 0}
    for counter in _sheet_counters:
        for key, value in counter(event, user).items():
            counts[key] = counts.get(key, 0) + value
    return counts


def remove_jury(
    event: Event, user: User, by=None, *, submitted: str | None = None, source: str = "web"
) -> dict:
    """Take a judge off the event's jury, ending their access to it at once: their sheets in
    progress are set aside, their submitted sheets kept or voided (`submitted`, the organiser's
    explicit choice), their jury cards of the event revoked, and, when they sit on no other
    jury, their sessions ended. Nothing is deleted. Returns what was done (also audited)."""
    if event.judging_closed:  # the jury that gave the scores is the jury of record
        raise JuryConflict(_l("The jury can no longer change: deliberation has started."))
    member = db.session.scalar(
        select(JuryMember).where(JuryMember.event_id == event.id, JuryMember.user_id == user.id)
    )
    if member is None:
        raise JuryConflict(_l("%(name)s is not on this event's jury.", name=user.name))
    submitted = RemovalChoice.parse(submitted)
    if submitted is None:
        raise JuryError(
            _l("Choose what becomes of the judge's submitted sheets: keep them or void them."),
            "submitted",
        )
    panel = member.panel
    event.jury.remove(member)
    db.session.flush()
    done: dict = {"submitted": submitted}
    for _receiver, result in jury_member_removed.send(
        event, user=user, submitted=submitted, by=by, source=source
    ):
        done.update(result or {})
    done["cards_revoked"] = revoke_login_links(event.id, LinkRevoked.REMOVED, user_ids=[user.id])
    seated_elsewhere = db.session.scalar(select(JuryMember.id).where(JuryMember.user_id == user.id))
    done["signed_out"] = seated_elsewhere is None
    if seated_elsewhere is None:
        end_sessions(user)
    record(
        "jury", user.id, "remove", by=by, event_id=event.id,
        old={"panel": panel}, new=done, source=source,
    )  # fmt: skip
    return done


def _take_role(event: Event, flag: str, member: JuryMember) -> list[int]:
    """Take the role (`is_president` or `is_secretary`) from whoever else holds it in the event;
    returns their user ids."""
    previous = [m for m in event.jury if getattr(m, flag) and m is not member]
    for other in previous:
        setattr(other, flag, False)
    return [m.user_id for m in previous]


def set_jury_role(
    event: Event, user: User, role: str, by=None, *, source: str = "web"
) -> JuryMember:
    """Name the jury's president or secretary (one of each per event: naming one takes the role
    from whoever held it), or make the judge a plain member again."""
    if JuryRole.parse(role) is None:
        raise JuryError(_l("Unknown jury role."), "role")
    # Who presides and who keeps the minutes may still be named during deliberation (the
    # president validates the minutes then), not once the results are published.
    if event.results_public:
        raise JuryConflict(_l("The results are published: the jury's roles can no longer change."))
    member = db.session.scalar(
        select(JuryMember).where(JuryMember.event_id == event.id, JuryMember.user_id == user.id)
    )
    if member is None:
        raise JuryConflict(_l("%(name)s is not on this event's jury.", name=user.name))
    old = {"is_president": member.is_president, "is_secretary": member.is_secretary}
    replaced: list[int] = []
    if role == JuryRole.PRESIDENT:
        replaced = _take_role(event, "is_president", member)
    elif role == JuryRole.SECRETARY:
        replaced = _take_role(event, "is_secretary", member)
    member.is_president = role == JuryRole.PRESIDENT
    member.is_secretary = role == JuryRole.SECRETARY
    db.session.flush()
    record(
        "jury", user.id, "role", by=by, event_id=event.id, old=old, source=source,
        new={"role": role, "replaced": replaced},
    )  # fmt: skip
    return member


def jury_president(event: Event) -> JuryMember | None:
    return next((m for m in event.jury if m.is_president), None)


def jury_by_panel(event: Event) -> dict[int, list[JuryMember]]:
    panels: dict[int, list[JuryMember]] = {}

    def order(m: JuryMember):
        return (m.panel, not m.is_president, not m.is_secretary, m.user.name)

    for member in sorted(event.jury, key=order):
        panels.setdefault(member.panel, []).append(member)
    return panels


def jury_cards(event: Event, login_url, *, send_email: bool = False, by=None) -> list[dict]:
    """One card per judge: a fresh one-time sign-in link and its QR code (inline SVG). Every
    earlier card of the event is revoked: its link then says the card was replaced.

    `login_url(token)` turns a token into the absolute link. With `send_email`, each judge with
    an e-mail also gets the `jury_invitation` message through the outbox."""
    import segno

    from accounts.services import make_login_link_token
    from jobs.outbox import queue_email

    panels = jury_by_panel(event)
    revoked = revoke_login_links(
        event.id, LinkRevoked.REPLACED, user_ids=[m.user_id for ms in panels.values() for m in ms]
    )
    cards = []
    for panel, members in panels.items():
        for member in members:
            url = login_url(make_login_link_token(member.user, event_id=event.id))
            qr = segno.make(url, error="m")
            cards.append(
                {
                    "member": member,
                    "user": member.user,
                    "panel": panel,
                    "url": url,
                    "qr_svg": qr.svg_inline(scale=4, title=member.user.name),
                }
            )
            if send_email:
                queue_email(
                    kind="jury_invitation",
                    to=member.user.email,
                    locale=member.user.locale or "fr",
                    template="jury_invitation",
                    context={"user": member.user, "event": event, "login_url": url},
                    dedupe_key=f"jury_invitation:{event.id}:{member.user.id}:{url[-12:]}",
                    event_id=event.id,
                )
    record(
        "jury", None, "cards", by=by, event_id=event.id,
        new={"cards": len(cards), "revoked": revoked},
    )  # fmt: skip
    return cards
