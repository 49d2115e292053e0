"""The rankings workbook carries each idea's team counts and its answers to the event's
questions (archived questions too), contacts typed in an answer redacted without personal data;
the paper template has a column per question and its import checks and stores the answers."""

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from extensions import db
from reporting import services
from submissions import paper, questions, team
from submissions.models import Answer, Idea
from tests.builders import make_event, make_user


def _write(tmp_path, events, **kwargs):
    path = tmp_path / "rankings.xlsx"
    services.write_workbook(path, events, "fr", **kwargs)
    return load_workbook(path)


def _column(ws, header):
    headers = [cell.value for cell in ws[1]]
    assert header in headers, headers
    index = headers.index(header)
    return [row[index] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_ranking_sheet_has_team_counts_and_answers(app, tmp_path, scored):
    organiser = make_user()
    asked = questions.add_question(
        scored.event.id, {"text": "Partenaires ?", "kind": "short_text"}, by=organiser
    )
    choice = questions.add_question(
        scored.event.id,
        {"text": "Lieu", "kind": "choice", "options": "Ville\nCampagne"},
        by=organiser,
    )
    db.session.add_all(
        [
            Answer(idea_id=scored.first.id, question_id=asked.id, value="Commune, 0611223344"),
            Answer(idea_id=scored.first.id, question_id=choice.id, value="o2"),
        ]
    )
    team.store_members(
        scored.first.id,
        [
            {
                "name": "Sara",
                "role": "",
                "gender": "female",
                "age_bracket": "under_25",
                "position": 1,
            }
        ],
    )
    questions.remove_question(choice, by=organiser)  # archived: still exported
    db.session.commit()
    ws = _write(tmp_path, [scored.event])["Oujda"]
    codes = _column(ws, "Code de reçu")
    row = codes.index(scored.first.receipt_code)
    assert _column(ws, "Membres de l'équipe")[row] == 2
    assert _column(ws, "Femmes")[row] == 2  # the lead (female by default) and Sara
    assert _column(ws, "Moins de 35 ans")[row] == 2
    assert _column(ws, "Partenaires ?")[row] == "Commune, […]"
    assert _column(ws, "Lieu")[row] == "Campagne"
    personal = _write(tmp_path, [scored.event], include_personal=True)["Oujda"]
    assert _column(personal, "Partenaires ?")[row] == "Commune, 0611223344"


def test_paper_template_has_a_column_per_question_and_imports_answers(client, login, app):
    event = make_event()
    organiser = make_user()
    questions.add_question(
        event.id, {"text": "Nombre de femmes", "text_ar": "عدد النساء", "kind": "number",
                   "max_value": "50", "required": "y"}, by=organiser,
    )  # fmt: skip
    questions.add_question(event.id, {"text": "Déjà financé ?", "kind": "yes_no"}, by=organiser)
    questions.add_question(event.id, {"text": "Plan", "kind": "file"}, by=organiser)
    db.session.commit()
    login(organiser)
    response = client.get(f"/tour/ideas-template.xlsx?event={event.slug}&language=ar")
    workbook = load_workbook(BytesIO(response.data))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[len(paper.COLUMNS) :] == ["عدد النساء *", "Déjà financé ?"]  # no file column
    sheet = workbook.worksheets[0]
    good = {
        "title": "Miel", "problem": "p", "solution": "s", "sector": "agriculture",
        "region_code": "L'Oriental", "province_code": "Berkane", "team_kind": "group",
        "lead_name": "Ahmed", "lead_phone": "0661234567", "consent": "oui",
    }  # fmt: skip
    number_column = len(paper.COLUMNS) + 1
    for offset, answer in enumerate(("12", "99")):
        for field, value in good.items():
            sheet[f"{paper.letter(field)}{2 + offset}"] = value
        sheet[f"A{2 + offset}"] = f"Miel {offset}"
        sheet.cell(row=2 + offset, column=number_column, value=answer)
        sheet.cell(row=2 + offset, column=number_column + 1, value="نعم")
    buffer = BytesIO()
    workbook.save(buffer)

    rejected = paper.check_rows(*_read(buffer.getvalue(), event), paper.paper_questions(event.id))
    cell = f"{get_column_letter(number_column)}3"
    assert [str(m) for m in rejected] == [
        f"{cell} (Nombre de femmes) : Saisissez un nombre de 50 au plus."
    ]
    sheet.cell(row=3, column=number_column, value="9")
    buffer = BytesIO()
    workbook.save(buffer)
    created, _ = paper.import_ideas(event, buffer.getvalue(), by=organiser)
    db.session.commit()
    assert len(created) == 2
    values = sorted(db.session.scalars(select(Answer.value)))
    assert values == ["12", "9", "yes", "yes"]
    assert db.session.scalar(select(Idea.title).where(Idea.id == created[0].idea_id)) == "Miel 0"


def _read(data, event):
    return paper.read_rows(data, paper.paper_questions(event.id))
