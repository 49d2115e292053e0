"""Attachments of ideas: type checked by content (not by name), size-capped, stored under
UPLOADS_DIR with a random name; only organisers download them."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldtypes import FieldError

# Magic bytes → (MIME type, extension). The extension of the sent name is never trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


@dataclass
class Upload:
    """An attachment read from the request, checked, not yet on disk."""

    data: bytes
    name: str
    mime: str
    extension: str


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, mime, extension in SIGNATURES:
        if head.startswith(magic):
            return mime, extension
    return None


def check_upload(stream, filename: str | None) -> Upload | None:
    """Read and check an uploaded file; None when no file was sent."""
    if stream is None or not filename:
        return None
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    data = stream.read(limit + 1)
    if not data:
        return None
    if len(data) > limit:
        raise FieldError(
            _l("The file is too large (at most %(size)s MB).", size=round(limit / 1024 / 1024, 1))
        )
    kind = sniff(data[:16])
    if kind is None:
        raise FieldError(_l("Send a PDF file or a photo (PNG or JPEG)."))
    name = os.path.basename(filename.replace("\\", "/")).strip()[:200] or "attachment"
    return Upload(data=data, name=name, mime=kind[0], extension=kind[1])


def uploads_dir() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


def store(upload: Upload, event_id: int) -> str:
    """Write the file under a random name; returns its path relative to UPLOADS_DIR."""
    relative = f"{event_id}/{secrets.token_hex(16)}{upload.extension}"
    target = uploads_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(upload.data)
    os.replace(partial, target)
    return relative


def discard(relative: str | None) -> None:
    """Remove a stored file whose idea was not saved (a duplicate post, a failed insert)."""
    if relative:
        (uploads_dir() / relative).unlink(missing_ok=True)


def absolute_path(relative: str) -> Path:
    """The file on disk, refusing any path that would leave UPLOADS_DIR."""
    base = uploads_dir().resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise FileNotFoundError(relative)
    return path
