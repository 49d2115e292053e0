"""What each participant hears of the results: one e-mail per idea when the results are
published, the same outcome in the receipt look-up, and a certificate (winner or participant)
whose code, printed on it, anyone can confirm at /certificate/<code>.

Everything here reads the results through `judging.results` (the version in force)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from competitions.models import Event
from extensions import db
from i18n import LANGUAGE_NAMES
from jobs.outbox import external_url, queue_email
from judging import results as official
from judging.models import Certificate, ScoreSheet
from judging.states import CertificateKind, NotRanked, SheetState
from submissions.models import Idea
from submissions.receipts import ALPHABET

CERTIFICATE_LANGUAGES = tuple(LANGUAGE_NAMES)  # ar, fr, en
_CODE_GROUPS, _GROUP_LENGTH = 4, 4  # 16 characters of 25: about 2^74 codes, unguessable


def _kind(is_winner: bool) -> CertificateKind:
    return CertificateKind.WINNER if is_winner else CertificateKind.PARTICIPANT


@dataclass(frozen=True)
class Outcome:
    """What the team of one idea is told: the rank and comments only when the event shares them."""

    is_winner: bool
    rank: int | None
    comments: tuple[str, ...]
    certificate: Certificate | None

    @property
    def certificate_urls(self) -> dict[str, str]:
        """{language: download link} of the idea's certificate (empty when there is none)."""
        return certificate_urls(self.certificate) if self.certificate else {}


def _told(row: official.ResultRow) -> bool:
    """The calibration idea is scored to calibrate the jury, not judged: its team hears nothing."""
    return row.not_ranked_reason != NotRanked.CALIBRATION


def results_rows(event: Event) -> tuple[int, list[official.ResultRow]]:
    """(version number, rows) of the results in force, the calibration idea left out;
    (0, []) before any publication."""
    results = official.results_in_force(event)
    if results is None:
        return 0, []
    return results.number, [row for row in results.rows if _told(row)]


def _comments(event: Event, idea_ids: list[int]) -> dict[int, list[str]]:
    """The comments of the submitted sheets, per idea, without the judges' names."""
    query = (
        select(ScoreSheet.idea_id, ScoreSheet.comment)
        .where(
            ScoreSheet.event_id == event.id,
            ScoreSheet.idea_id.in_(idea_ids),
            ScoreSheet.status == SheetState.SUBMITTED,
            ScoreSheet.comment != "",
        )
        .order_by(ScoreSheet.id)
    )
    comments: dict[int, list[str]] = {}
    for idea_id, comment in db.session.execute(query):
        if comment.strip():
            comments.setdefault(idea_id, []).append(comment.strip())
    return comments


def _outcomes(event: Event, rows: list[official.ResultRow]) -> dict[int, Outcome]:
    comments = _comments(event, [r.idea_id for r in rows]) if event.share_feedback else {}
    certificates = {
        (c.idea_id, c.kind): c
        for c in db.session.scalars(select(Certificate).where(Certificate.event_id == event.id))
    }
    outcomes = {}
    for row in rows:
        kind = _kind(row.is_winner)
        outcomes[row.idea_id] = Outcome(
            is_winner=row.is_winner,
            rank=row.rank if event.share_ranks and row.ranked else None,
            comments=tuple(comments.get(row.idea_id, ())),
            certificate=certificates.get((row.idea_id, kind)),
        )
    return outcomes


def idea_outcome(idea: Idea) -> Outcome | None:
    """The outcome of one idea once its event's results are public; None before, and for an
    idea that is not in the results (the calibration idea)."""
    if not idea.event.results_public:
        return None
    found = official.idea_outcome(idea.id)
    if found is None or not _told(found.row):
        return None
    return _outcomes(idea.event, [found.row])[idea.id]


# --- Certificates ------------------------------------------------------------------------------


def new_certificate_code() -> str:
    """XXXX-XXXX-XXXX-XXXX from the receipts' alphabet (nothing read wrong when typed by hand)."""
    groups = [
        "".join(secrets.choice(ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_CODE_GROUPS)
    ]
    return "-".join(groups)


def normalise_certificate_code(text: str) -> str:
    letters = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:32]
    return "-".join(letters[i : i + _GROUP_LENGTH] for i in range(0, len(letters), _GROUP_LENGTH))


def _issue_certificate(event: Event, idea_id: int, kind: CertificateKind) -> Certificate:
    """The idea's certificate of this kind, issued once (a twin issued concurrently wins)."""
    query = select(Certificate).where(Certificate.idea_id == idea_id, Certificate.kind == kind)
    certificate = db.session.scalar(query)
    if certificate is not None:
        return certificate
    certificate = Certificate(
        code=new_certificate_code(), event_id=event.id, idea_id=idea_id, kind=kind
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return db.session.scalar(query)
    return certificate


def find_certificate(code: str) -> Certificate | None:
    """The certificate with this code, if its event's results are public."""
    code = normalise_certificate_code(code)
    if not code:
        return None
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None or not certificate.event.results_public:
        return None
    return certificate


def certificate_in_force(certificate: Certificate) -> bool:
    """Whether the results in force still say what the certificate says (an amendment may have
    made a winner a participant, or the other way round)."""
    _version, rows = results_rows(certificate.event)
    kinds = {row.idea_id: _kind(row.is_winner) for row in rows}
    return kinds.get(certificate.idea_id) == certificate.kind


def event_certificates(event: Event) -> list[Certificate]:
    """The certificates of the results in force, for the organisers' results page."""
    _version, rows = results_rows(event)
    outcomes = _outcomes(event, rows)
    return [o.certificate for o in outcomes.values() if o.certificate is not None]


def certificate_urls(certificate: Certificate) -> dict[str, str]:
    """{language: download link} of a certificate's PDF."""
    return {
        lang: url_for("judging.certificate_pdf", code=certificate.code, lang=lang)
        for lang in CERTIFICATE_LANGUAGES
    }


# --- Announcing the results --------------------------------------------------------------------


def announce_results(event: Event, **_) -> int:
    """When a version of the results comes into force (a receiver of `results_published`):
    issue each idea's certificate of that version and, on the first publication, queue one
    results e-mail per idea with an address, in its team's language (an amendment tells the
    ideas it changed with its own e-mail). Once per idea and version, however often it runs.
    Returns the number of results e-mails in the outbox for this version."""
    version, rows = results_rows(event)
    for row in rows:
        _issue_certificate(event, row.idea_id, _kind(row.is_winner))
    db.session.flush()
    if len(official.published_versions(event)) > 1:
        return 0
    outcomes = _outcomes(event, rows)
    ideas = db.session.scalars(select(Idea).where(Idea.id.in_([r.idea_id for r in rows])))
    queued = 0
    for idea in ideas:
        if not (idea.lead_email or "").strip():
            continue
        outcome = outcomes[idea.id]
        lang = idea.locale if idea.locale in CERTIFICATE_LANGUAGES else "fr"
        email = queue_email(
            kind="results",
            to=idea.lead_email,
            locale=idea.locale,
            template="results",
            context={
                "idea": idea,
                "event": event,
                "is_winner": outcome.is_winner,
                "rank": outcome.rank,
                "comments": outcome.comments,
                "certificate_url": external_url(
                    "judging.certificate_pdf", code=outcome.certificate.code, lang=lang
                ),
            },
            dedupe_key=f"results:{event.id}:{idea.id}:v{version}",
            event_id=event.id,
        )
        queued += email is not None
    return queued
