"""What core records in the audit log (a file handed out), in words (registered by `hooks.py`)."""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "idea": {"download_attachment": _l("Downloaded an idea's attachment")},
    "export": {"export": _l("Downloaded an export")},
    "milestone_document": {"download_document": _l("Downloaded a document of a bank project")},
    "sheet": {"view_idea_file": _l("Opened a file of the idea on the score sheet")},
}
