"""Personal data leaves no copy behind: pages that show it are never stored by the browser (a
kiosk's Back button shows no earlier participant's form or receipt), and every file handed out
(an attachment, an export) is audited with who took it and from where."""

from flask import current_app, request, session
from flask_login import current_user

from audit.services import record_access

# Files of the site itself, the same for everyone: the browser may keep them.
SHARED_FILES = frozenset({"static", "core.vendor"})
# Endpoint of a file handed out → (what the audit entry names, its URL argument, the action).
DOWNLOADED_FILES = {
    "submissions.attachment": ("idea", "idea_id", "download_attachment"),
    "submissions.answer_file": ("idea", "idea_id", "download_attachment"),
    "bank.download_document": ("milestone_document", "document_id", "download_document"),
    "judging.idea_file": ("sheet", "sheet_id", "view_idea_file"),  # a judge opening a file
}
VIEWED_IDEA_FILES = frozenset({"judging.idea_file"})  # shown inline on the sheet, still audited


def personal_data(view):
    """Mark a public view whose page shows what a participant typed (a form, a receipt, a
    look-up): `Cache-Control: no-store` even for a visitor who is not signed in."""
    view.shows_personal_data = True
    return view


def shows_personal_data() -> bool:
    """Every page of a signed-in account or a kiosk tablet, of a browser holding receipts, and
    every view marked `personal_data`."""
    if request.endpoint in SHARED_FILES or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return (
        getattr(view, "shows_personal_data", False)
        or "_user_id" in session  # signed in; asking current_user would re-read the user after
        or "kiosk_event" in session  # the commit (a tap's statement count holds this)
        or bool(session.get("receipts"))
    )


def _audit_download(response) -> None:
    """A file handed out as an attachment: an idea's attachment, a milestone's document, or an
    export."""
    args = request.view_args or {}
    entity, argument, action = DOWNLOADED_FILES.get(
        request.endpoint, ("export", "export_id", "export")
    )
    entity_id = args.get(argument)
    record_access(
        entity,
        entity_id,
        action,
        by=current_user if current_user.is_authenticated else None,
        address=request.remote_addr,
        note=f"{request.full_path.rstrip('?')} {response.headers['Content-Disposition']}",
        source=request.endpoint,
    )


def after_request(response):
    if shows_personal_data():
        response.headers["Cache-Control"] = "no-store"
    disposition = response.headers.get("Content-Disposition", "")
    if response.status_code == 200 and (
        disposition.startswith("attachment") or request.endpoint in VIEWED_IDEA_FILES
    ):
        _audit_download(response)
    return response
