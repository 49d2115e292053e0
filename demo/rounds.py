"""The demo's pitch round: the national final in Rabat scores the stops' winners on their
written ideas (round 1), shortlists the best two and has them pitch on stage (round 2, with a
pitch rubric of its own); the first team is on stage; a special prize rewards the best
women-led project. Skipped once the round exists."""

from competitions import services as competitions
from competitions.models import Criterion, Event, Rubric
from competitions.states import EventState
from extensions import db
from judging import prizes, rounds, services
from judging.models import ScoreSheet
from judging.states import PrizeRule, SheetState, StageAction

PITCH_RUBRIC = {"fr": "Grille du pitch", "ar": "شبكة تقييم العرض", "en": "Pitch rubric"}
PITCH_CRITERIA = (
    ("clarity", {"fr": "Clarté du pitch", "ar": "وضوح العرض", "en": "Clarity of the pitch"}, 1.0),
    (
        "answers",
        {"fr": "Réponses au jury", "ar": "الإجابة عن أسئلة اللجنة", "en": "Answers to the jury"},
        1.0,
    ),
    ("team", {"fr": "Force de l'équipe", "ar": "قوة الفريق", "en": "Strength of the team"}, 1.5),
)


WOMEN_PRIZE = {
    "name": "Meilleur projet porté par des femmes",
    "name_ar": "أفضل مشروع تقوده نساء",
    "name_en": "Best women-led project",
    "rule": PrizeRule.WOMEN_LED,
}


def _pitch_rubric() -> Rubric:
    rubric = Rubric(name=PITCH_RUBRIC["fr"], name_ar=PITCH_RUBRIC["ar"], name_en=PITCH_RUBRIC["en"])
    for position, (key, name, weight) in enumerate(PITCH_CRITERIA):
        rubric.criteria.append(
            Criterion(
                position=position, key=key, name=name, weight=weight, scale_min=1, scale_max=5
            )
        )
    db.session.add(rubric)
    db.session.flush()
    return rubric


def _score_round_one(event: Event) -> None:
    """Every judge scores every written idea (a fixed pattern, so the ranking is stable)."""
    sheets = db.session.query(ScoreSheet).filter_by(event_id=event.id, round_number=1).all()
    for sheet in sorted(sheets, key=lambda s: (s.idea_id, s.judge_id)):
        if sheet.status != SheetState.ASSIGNED:
            continue
        for k, criterion in enumerate(services.sheet_rubric(sheet).criteria):
            mark = 2 + (sheet.idea_id * 7 + sheet.judge_id + k) % 4
            services.record_score(sheet, criterion.id, mark, sheet.judge, source="seed")
        services.submit_sheet(sheet, sheet.judge, source="seed")


def seed_pitch_round(final: Event, organiser) -> None:
    if services.pitch_round(final) is not None or not final.before_judging:
        return
    if not db.session.query(ScoreSheet.id).filter_by(event_id=final.id).first():
        for state in (EventState.OPEN, EventState.JUDGING):
            if final.state != state:
                competitions.transition(final, state, organiser, source="seed")
    if not final.is_judging:
        return
    _score_round_one(final)
    rubric = _pitch_rubric()
    rounds.save_pitch_round(
        final,
        {"rubric_id": str(rubric.id), "shortlist_size": "2", "pitch_minutes": "5",
         "questions_minutes": "3"},
        organiser,
    )  # fmt: skip
    rounds.start_pitch_round(final, None, None, organiser)
    rounds.stage_action(final, StageAction.START, organiser)
    prizes.add_prize(final, WOMEN_PRIZE, organiser)
    db.session.flush()
