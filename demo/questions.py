"""The demo's questions per event and teams: Rabat's form asks four questions of its own (three
shown to the jury; none required, so that the demo's journeys send the fixed fields only),
Oujda's and Dakhla's two; the demo's ideas there answer them and name their team
members, and their juries see the answers marked for them and the attachments. Idempotent: a
question is found by its French wording, a team or an answer is added once."""

from sqlalchemy import select

from competitions.models import Event
from extensions import db, utcnow
from submissions import questions
from submissions.models import Answer, Idea, IdeaFormSettings, Question, TeamMember

QUESTIONS = {
    "Rabat": (
        {
            "text": "Avez-vous déjà un local ou un terrain ?",
            "text_ar": "هل تتوفرون على محل أو أرض؟",
            "text_en": "Do you already have premises or land?",
            "kind": "yes_no",
            "visible_to_jury": "y",
        },
        {
            "text": "Combien de femmes la coopérative emploierait-elle ?",
            "text_ar": "كم عدد النساء اللواتي ستشغلهن التعاونية؟",
            "text_en": "How many women would the cooperative employ?",
            "kind": "number",
            "min_value": "0",
            "max_value": "500",
            "visible_to_jury": "y",
        },
        {
            "text": "Comment avez-vous connu l'ideathon ?",
            "text_ar": "كيف عرفتم بالمسابقة؟",
            "text_en": "How did you hear about the ideathon?",
            "kind": "choice",
            "options": "Radio | الإذاعة | Radio\nRéseaux sociaux | مواقع التواصل الاجتماعي | "
            "Social media\nAssociation ou coopérative | جمعية أو تعاونية | Association or "
            "cooperative",
        },
        {
            "text": "Quels partenaires locaux avez-vous déjà rencontrés ?",
            "text_ar": "ما الشركاء المحليون الذين التقيتم بهم؟",
            "text_en": "Which local partners have you already met?",
            "kind": "long_text",
            "max_length": "1000",
            "visible_to_jury": "y",
        },
    ),
    "Oujda": (
        {
            "text": "Avez-vous déjà un local ou un terrain ?",
            "text_ar": "هل تتوفرون على محل أو أرض؟",
            "text_en": "Do you already have premises or land?",
            "kind": "yes_no",
            "visible_to_jury": "y",
        },
        {
            "text": "Quels partenaires locaux avez-vous déjà rencontrés ?",
            "text_ar": "ما الشركاء المحليون الذين التقيتم بهم؟",
            "text_en": "Which local partners have you already met?",
            "kind": "long_text",
            "visible_to_jury": "y",
        },
    ),
}
QUESTIONS["Dakhla"] = QUESTIONS["Oujda"]  # its judges (judging now) see the answers
ANSWERS = (
    ("yes", "12", "o2", "La commune rurale et l'ORMVA de la région."),
    ("no", "4", "o3", "L'association des femmes du douar et la Chambre d'artisanat."),
    ("yes", "7", "o1", "Un lycée agricole, pour les stages."),
    ("no", "", "o2", ""),
)
MEMBERS = (
    ("Khadija Amrani", "Trésorière", "female", "under_25"),
    ("Youssef Ait Lahcen", "Production", "male", "25_34"),
    ("Naima Ouali", "Vente", "female", "35_44"),
)


def seed_questions(event: Event, ideas: list[Idea], organiser) -> None:
    """The event's questions, its ideas' answers and teams, and what its jury sees."""
    asked = [_question(event, raw, organiser) for raw in QUESTIONS.get(event.city, ())]
    if not asked:
        return
    if db.session.get(IdeaFormSettings, event.id) is None:
        questions.save_settings(
            event.id, {"jury_sees_attachments": "y", "jury_sees_answers": "y"}, by=organiser
        )
    for n, idea in enumerate(ideas):
        values = ANSWERS[n % len(ANSWERS)]
        kinds = [q.kind for q in asked]
        for question, value in zip(asked, _answers_for(kinds, values), strict=True):
            if value and not _answered(idea, question):
                db.session.add(Answer(idea_id=idea.id, question_id=question.id, value=value))
        if not db.session.scalar(select(TeamMember.id).where(TeamMember.idea_id == idea.id)):
            for position, (name, role, gender, age) in enumerate(MEMBERS[: 1 + n % 3], 1):
                db.session.add(
                    TeamMember(
                        idea_id=idea.id, position=position, name=name, role=role,
                        gender=gender, age_bracket=age, consent_at=utcnow(),
                    )
                )  # fmt: skip
    db.session.flush()


def _answers_for(kinds: list[str], values: tuple) -> list[str]:
    by_kind = {
        "yes_no": values[0],
        "number": values[1],
        "choice": values[2],
        "long_text": values[3],
    }
    return [by_kind.get(kind, "") for kind in kinds]


def _question(event: Event, raw: dict, organiser) -> Question:
    found = db.session.scalar(
        select(Question).where(Question.event_id == event.id, Question.text == raw["text"])
    )
    return found or questions.add_question(event.id, raw, by=organiser)


def _answered(idea: Idea, question: Question) -> bool:
    return (
        db.session.scalar(
            select(Answer.id).where(Answer.idea_id == idea.id, Answer.question_id == question.id)
        )
        is not None
    )
