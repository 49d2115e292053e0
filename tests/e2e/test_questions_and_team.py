"""A participant on a 360 px phone, in Arabic, answers the event's own questions and names two
team members (rows shown by "Add a member", one taken back by "Remove"), gets a receipt; a wrong answer is named
next to its field first, nothing typed lost."""

import re

from sqlalchemy import select

from competitions.states import EventState
from tests.e2e.conftest import no_horizontal_overflow
from tests.e2e.test_participant_journey import fill_first_half, fill_second_half


def _event_with_questions(live):
    from extensions import db
    from submissions import questions
    from tests import builders

    def build():
        organiser = builders.make_user("organiser")
        event = builders.make_event(state=EventState.OPEN)
        ids = [
            questions.add_question(event.id, raw, by=organiser).id
            for raw in (
                {"text": "Local ?", "text_ar": "هل لديكم محل؟", "kind": "yes_no", "required": "y"},
                {"text": "Femmes", "text_ar": "عدد النساء", "kind": "number", "max_value": "50"},
                {"text": "Canal", "text_ar": "كيف عرفتم بالمسابقة؟", "kind": "choice",
                 "options": "Radio | الإذاعة\nAmis | الأصدقاء"},
                {"text": "Partenaires", "text_ar": "الشركاء", "kind": "long_text"},
            )
        ]  # fmt: skip
        db.session.commit()
        return event.slug, ids

    return live.run(build)


def _stored(live, code):
    from extensions import db
    from submissions import questions, team
    from submissions.models import Idea

    def read():
        idea = db.session.scalar(select(Idea).where(Idea.receipt_code == code))
        answers = questions.answers_of([idea.id]).get(idea.id, {})
        members = [(m.name, m.gender, m.age_bracket) for m in team.members_of(idea.id)]
        return {k: a.value for k, a in answers.items()}, members

    return live.run(read)


def test_a_participant_answers_questions_and_names_the_team_on_a_phone_in_arabic(
    live, new_page, shot
):
    slug, (yes_no, number, choice, text) = _event_with_questions(live)
    page = new_page("small-phone", "ar")
    page.goto(f"/e/{slug}/submit?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("text=هل لديكم محل؟").count() == 1
    # Only the first member row shows; "Add a member" shows the next one without a round trip.
    rows = page.locator("[data-member-row]")
    assert rows.nth(0).is_visible() and not rows.nth(1).is_visible()
    fill_first_half(page, "تعاونية الكسكس")
    fill_second_half(page)
    page.check(f"#question-{yes_no}-yes")
    page.fill(f"#question-{number}", "٩٩")  # beyond 50: refused with its message
    page.select_option(f"#question-{choice}", "o2")
    page.fill(f"#question-{text}", "الجماعة القروية")
    page.fill("#member-0-name", "خديجة العمراني")
    page.fill("#member-0-role", "أمينة المال")
    page.select_option("#member-0-gender", "female")
    page.select_option("#member-0-age_bracket", "under_25")
    page.check("#member-0-consent")
    page.click("[data-add-member]")
    assert rows.nth(1).is_visible()
    page.fill("#member-1-name", "يوسف آيت لحسن")
    page.select_option("#member-1-gender", "male")
    page.select_option("#member-1-age_bracket", "25_34")
    page.check("#member-1-consent")
    page.click("[data-add-member]")  # a third, then taken back: nothing of it is sent
    page.fill("#member-2-name", "عضو زائد")
    rows.nth(2).locator("[data-remove-member]").click()
    assert not rows.nth(2).is_visible() and page.input_value("#member-2-name") == ""
    assert no_horizontal_overflow(page)
    shot(page, "filled")
    page.click("#submit-idea")  # sent once a ping finds the site (static/js/submissions.js)
    error = page.locator(f"#question-{number}-error")
    error.wait_for(state="visible")
    assert error.is_visible() and "50" in error.inner_text()
    assert page.input_value("#member-1-name") == "يوسف آيت لحسن"  # nothing typed lost
    assert no_horizontal_overflow(page)
    shot(page, "refused")
    page.fill(f"#question-{number}", "١٢")
    page.check("#consent")
    page.click("#submit-idea")
    page.wait_for_url(re.compile(r"/receipt/"))
    code = page.inner_text("#receipt-code").strip()
    answers, members = _stored(live, code)
    assert answers == {yes_no: "yes", number: "12", choice: "o2", text: "الجماعة القروية"}
    assert members == [
        ("خديجة العمراني", "female", "under_25"),
        ("يوسف آيت لحسن", "male", "25_34"),
    ]
