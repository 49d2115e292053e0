"""How the judging package hooks into lower floors (called once by the app factory)."""

from competitions.services import (
    add_event_link_provider,
    add_event_stats_provider,
    add_transition_guard,
)
from competitions.signals import event_state_changed
from judging.deliberation import (
    event_links,
    judging_stats,
    on_state_changed,
    require_validated_minutes,
)
from judging.services import JudgingError, set_calibration
from submissions.services import TriageError, use_calibration_rule


def register() -> None:
    """Results are published only from validated minutes; publishing snapshots them and entering
    judging deals the ideas out; the tour shows judging progress and the judging pages; the
    ideas' triage page applies judging's calibration rule."""
    add_transition_guard(require_validated_minutes)
    event_state_changed.connect(on_state_changed)
    add_event_stats_provider(judging_stats)
    add_event_link_provider(event_links)
    use_calibration_rule(calibration_from_triage)


def calibration_from_triage(event, idea, by) -> None:
    """Judging's calibration rule, its refusals worded as triage refusals."""
    try:
        set_calibration(event, idea, by)
    except JudgingError as error:
        raise TriageError(str(error)) from error
