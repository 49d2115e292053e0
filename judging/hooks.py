"""How the judging package hooks into lower floors (called once by the app factory)."""

from audit.history import describe_actions, describe_fields
from competitions.services import (
    add_event_link_provider,
    add_event_stats_provider,
    add_judge_sheet_counter,
    add_transition_guard,
    add_transition_notice_provider,
)
from competitions.signals import event_state_changed, jury_member_removed, jury_member_seated
from core.offline import add_offline_pages
from judging.audit_actions import ACTIONS, FIELDS, VALUES
from judging.deliberation import (
    event_links,
    judging_stats,
    on_state_changed,
    refuse_locked_idea_change,
    require_validated_minutes,
)
from judging.outcome import announce_results, idea_outcome
from judging.results import first_publications, results_published
from judging.rounds import require_pitch_round_started
from judging.services import (
    calibration_from_triage,
    judge_sheet_counts,
    on_jury_member_removed,
    on_jury_member_seated,
)
from judging.steps import move_notices
from judging.views import offline_pages
from submissions.privacy import use_publication_dates
from submissions.services import add_change_guard, add_outcome_provider, use_calibration_rule


def register() -> None:
    """Results are published only from validated minutes; the confirmation pages of closing
    judging and publishing say what they will do; publishing publishes the validated version of
    the results and entering judging deals the ideas out; the tour shows judging progress and
    the judging pages; the ideas' triage page applies judging's calibration rule, and refuses
    any change of an idea's ranking inputs while the event's results are official (validated or
    published); removing a judge sets their sheets aside (or voids the submitted ones), seating
    them again gives them back, and the removal page counts them first; each published version
    of the results issues the certificates it calls for (the first one also e-mails every
    participant), and the receipt look-up shows each idea's outcome; the retention of
    participants' personal data runs from the results' first publication; the audit log names what judging records;
    an event with a pitch round closes judging only once that round has started; a judge's
    tablet keeps their list and the sheets they may still score for offline use."""
    add_transition_guard(require_validated_minutes)
    add_transition_guard(require_pitch_round_started)
    add_transition_notice_provider(move_notices)
    event_state_changed.connect(on_state_changed)
    add_event_stats_provider(judging_stats)
    add_event_link_provider(event_links)
    use_calibration_rule(calibration_from_triage)
    add_change_guard(refuse_locked_idea_change)
    jury_member_removed.connect(on_jury_member_removed)
    jury_member_seated.connect(on_jury_member_seated)
    add_judge_sheet_counter(judge_sheet_counts)
    results_published.connect(announce_results)
    add_outcome_provider(idea_outcome)
    use_publication_dates(first_publications)
    describe_actions(ACTIONS)
    describe_fields(FIELDS, VALUES)
    add_offline_pages(offline_pages)
