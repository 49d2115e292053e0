"""Documents of a project's milestones (statutes, a registration certificate, a financing file):
sent by organisers or the project's adviser, read by them only, never public.

A file's type is read from its content, never from its name, and the file must open as that
type: PDF, PNG or JPEG (the checks of `submissions.attachments`), or an office document
(Word, Excel or PowerPoint's .docx, .xlsx, .pptx; OpenDocument's .odt, .ods, .odp), a zip whose
parts name its kind and unpack to a bounded size. Size is capped (BANK_DOCUMENT_MAX_BYTES). The
bytes go to the file store of the configuration (`storage.stores`), so every host sees them.

Plain functions: they validate, write, flush and audit; the caller commits.
"""

from __future__ import annotations

import os
import secrets
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.permissions import can
from accounts.states import Permission
from bank import changes
from bank.models import BankProject, Milestone, MilestoneDocument
from bank.services import BankError
from exports.unpacked import unpacks_beyond
from extensions import db
from refusals import Conflict
from storage.stores import FileStore, store_for
from submissions.attachments import MARKUP, MARKUP_SCAN_BYTES, parses_as, sniff

NAME_MAX = MilestoneDocument.__table__.c.name.type.length
MAX_DOCUMENTS = 20  # per milestone
OFFICE_MAX_UNPACKED = 64 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# An Office Open XML file names its kind by its main part.
OOXML_PARTS = (
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
)
# An OpenDocument file names its kind in its first part, `mimetype`.
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
# What the file chooser offers (the content decides, whatever the name).
ACCEPT_ATTRIBUTE = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods,.odp"
ACCEPTED = _l(
    "Send a PDF, a photo (PNG or JPEG) or an office document (Word, Excel, PowerPoint or "
    "OpenDocument)."
)


class DocumentRefused(BankError):
    """A file that cannot be kept with a milestone (422), the message beside the file field."""

    def __init__(self, message):
        super().__init__(message, field="document")


class TooManyDocuments(BankError, Conflict):
    """The milestone holds its most documents already (409)."""


@dataclass
class CheckedFile:
    data: bytes
    name: str
    mime: str
    extension: str


def max_bytes() -> int:
    return current_app.config["BANK_DOCUMENT_MAX_BYTES"]


def file_store() -> FileStore:
    """Where milestone documents are kept (FILE_STORE): the database, or BANK_DOCUMENTS_DIR."""
    return store_for("bank-documents", Path(current_app.config["BANK_DOCUMENTS_DIR"]))


def _office_kind(data: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of an office document that opens as a zip and names its kind."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if archive.testzip() is not None:
                return None
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in ODF_TYPES and "content.xml" in names:
                    return declared, ODF_TYPES[declared]
                return None
            if "[Content_Types].xml" not in names:
                return None
            for part, mime, extension in OOXML_PARTS:
                if part in names:
                    return mime, extension
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, ValueError):
        return None
    return None


def check_file(stream, filename: str | None) -> CheckedFile:
    """Read a sent file and check its name, size and type (by content); refuses each fault in
    its own words."""
    if stream is None or not filename:
        raise DocumentRefused(_l("Choose a file to send."))
    name = os.path.basename(filename.replace("\\", "/")).strip()
    if len(name) > NAME_MAX:
        raise DocumentRefused(
            _l("The file's name is too long (at most %(n)d characters): rename it.", n=NAME_MAX)
        )
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise DocumentRefused(_l("The file is empty."))
    if len(data) > limit:
        raise DocumentRefused(
            _l("The file is too large (at most %(size)s MB).", size=round(limit / 1024 / 1024, 1))
        )
    if data.startswith(ZIP_MAGIC):
        if unpacks_beyond(data, OFFICE_MAX_UNPACKED):
            raise DocumentRefused(ACCEPTED)
        kind = _office_kind(data)
    else:
        kind = sniff(data[:16])
        if kind and (MARKUP.search(data[:MARKUP_SCAN_BYTES]) or not parses_as(data, kind[0])):
            kind = None
    if kind is None:
        raise DocumentRefused(ACCEPTED)
    return CheckedFile(data=data, name=name or "document", mime=kind[0], extension=kind[1])


def add_document(milestone: Milestone, stream, filename: str | None, by) -> MilestoneDocument:
    """Keep a checked file with the milestone (in the file store, in the current transaction for
    the database store), audited."""
    if len(milestone.documents) >= MAX_DOCUMENTS:
        raise TooManyDocuments(
            _l("A milestone keeps at most %(n)d documents: delete one first.", n=MAX_DOCUMENTS)
        )
    checked = check_file(stream, filename)
    key = f"{milestone.project_id}/{secrets.token_hex(16)}{checked.extension}"
    file_store().put(key, checked.data)
    document = MilestoneDocument(
        milestone=milestone,
        name=checked.name,
        key=key,
        mime=checked.mime,
        size=len(checked.data),
        uploaded_by_id=by.id if by is not None else None,
    )
    db.session.add(document)
    try:
        db.session.flush()
    except Exception:
        file_store().abandon(key)
        raise
    changes.audit(
        "milestone",
        milestone.id,
        "document_added",
        by=by,
        project=milestone.project,
        new={"document": document.name, "size": document.size},
    )
    return document


def delete_document(document: MilestoneDocument, by) -> str | None:
    """Forget a document, audited. The database store's chunks go in the current transaction;
    a file in a folder must outlive a rollback, so its key is returned for `remove_file` once the
    caller has committed."""
    milestone = document.milestone
    store = file_store()
    if store.transactional:
        store.delete(document.key)
    changes.audit(
        "milestone",
        milestone.id,
        "document_deleted",
        by=by,
        project=milestone.project,
        old={"document": document.name, "size": document.size},
    )
    key = document.key
    db.session.delete(document)
    db.session.flush()
    return None if store.transactional else key


def remove_file(key: str | None) -> None:
    """After the commit: remove the file of a deleted document from its folder."""
    if key:
        file_store().delete(key)


def open_document(document: MilestoneDocument):
    """The stored file, to read (FileNotFoundError when it is not there)."""
    return file_store().open(document.key)


def can_manage_tour(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can(user, Permission.MANAGE_TOUR)


def advises_or_organises(user) -> bool:
    """Organisers, and accounts that advise a project: who may ask for milestone documents at
    all (each milestone's own rule is `may_handle`)."""
    if can_manage_tour(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    query = select(BankProject.id).where(BankProject.adviser_id == user.id).limit(1)
    return db.session.scalar(query) is not None


def may_follow(user, project: BankProject) -> bool:
    """Organisers and the project's adviser follow its path (milestones and their documents)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_manage_tour(user) or project.adviser_id == user.id


def may_handle(user, milestone: Milestone) -> bool:
    """Organisers and the project's adviser keep and read a milestone's documents."""
    return may_follow(user, milestone.project)


def extension_of(document: MilestoneDocument) -> str:
    """The stored type's own extension (never the one of the sent name)."""
    return Path(document.key).suffix
