"""What the judging package records in the audit log, in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

from competitions.states import RankingMethod
from judging.offline import ACTION_LABELS, REFUSAL_LABELS
from judging.services import REMOVAL_LABELS, SHEET_STATE_LABELS

ACTIONS = {
    "event": {
        "assign": _l("Dealt the ideas out to the judges"),
        "calibration": _l("Chose the calibration idea"),
        "import_scores": _l("Imported paper score sheets"),
        "winners": _l("Chose the winners"),
        "notes": _l("Changed the deliberation notes"),
        "method": _l("Chose the ranking method"),
        "minutes": _l("Validated the minutes"),
        "reopen_deliberation": _l("Reopened the deliberation"),
        "amendment": _l("Started an amendment of the results"),
        "publish_amendment": _l("Published amended results"),
        "carry_winners": _l("Carried the winners to the final"),
        "pitch_round": _l("Set the pitch round"),
        "remove_pitch_round": _l("Removed the pitch round"),
        "start_pitch_round": _l("Chose the shortlist and started the pitch round"),
        "running_order": _l("Changed the pitches' running order"),
        "stage": _l("Moved the stage on"),
    },
    "score": {
        "score": _l("Gave a mark"),
        "late_score": _l("Gave a mark older than the one in force (kept as it was)"),
    },
    "sheet": {
        "comment": _l("Changed a sheet's comment"),
        "submit": _l("Submitted a score sheet"),
        "reopen": _l("Reopened a score sheet"),
        "conflict": _l("Declared a conflict of interest on a sheet"),
        "refused_on_arrival": _l("A tablet's action on a sheet was refused when it arrived"),
        "triage_sheet": _l("Began an organiser's triage sheet"),
    },
    "conflict": {"record": _l("Recorded a conflict of interest")},
    "prize": {"add": _l("Added a special prize"), "remove": _l("Removed a special prize")},
}
FIELDS = {
    "status": _l("Status"),
    "criterion": _l("Criterion"),
    "value": _l("Mark"),
    "idea_id": _l("Idea"),
    "judge_id": _l("Judge"),
    "president_id": _l("Jury chair"),
    "comment": _l("Comment"),
    "scores": _l("Marks"),
    "reason": _l("Reason"),
    "winners": _l("Winners"),
    "overrides": _l("Reasons for departing from the ranking"),
    "notes": _l("Notes"),
    "method": _l("Ranking method"),
    "mode": _l("Validated by"),
    "validated": _l("Validated"),
    "version": _l("Version"),
    "in_force": _l("Version in force"),
    "emails": _l("E-mails queued"),
    "ideas": _l("Ideas"),
    "sheets": _l("Sheets"),
    "imported": _l("Imported"),
    "unchanged": _l("Unchanged"),
    "blank": _l("Blank"),
    "set_aside": _l("Sheets set aside"),
    "voided": _l("Sheets voided"),
    "kept": _l("Sheets kept"),
    "round": _l("Round"),
    "rubric_id": _l("Rubric"),
    "triage_rubric_id": _l("Rubric of the organisers' triage (round 1)"),
    "shortlist_size": _l("Shortlist size"),
    "pitch_seconds": _l("Pitch (seconds)"),
    "questions_seconds": _l("Questions (seconds)"),
    "shortlist": _l("Shortlist"),
    "order": _l("Running order"),
    "how": _l("How"),
    "phase": _l("Stage"),
    "action": _l("Action"),
    "rule": _l("Who competes"),
    "sector": _l("Sector"),
    "name_ar": _l("Name in Arabic"),
    "name_en": _l("Name in English"),
    "attempted": _l("Action"),
    "tapped_at": _l("Tapped at"),
    "refused_because": _l("Why it was refused"),
}
METHOD_LABELS = {  # the event form's words for each method
    RankingMethod.RAW: _l("Raw weighted average"),
    RankingMethod.NORMALISED: _l("Normalised per judge"),
}
VALUES = {
    "status": SHEET_STATE_LABELS,
    "submitted": REMOVAL_LABELS,
    "method": METHOD_LABELS,
    "refused_because": REFUSAL_LABELS,
    "attempted": ACTION_LABELS,
}
