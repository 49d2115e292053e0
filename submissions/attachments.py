"""Attachments of ideas: type checked by content (not by name) and parsed as that type, size-capped,
stored under UPLOADS_DIR with a random name and the type's own extension; only organisers
download them, under the type's extension too (a `%PDF-` header on an HTA script is no PDF)."""

import os
import re
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image
from pypdf import PdfReader

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


# What a browser would take for a page, sniffed within its first bytes: never in an attachment.
_MARKUP = re.compile(rb"<\s*(script|html|hta:|body|iframe|svg|!doctype)", re.I)
_MARKUP_SCAN_BYTES = 1024
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/;:*?<>|]+')


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
    if _MARKUP.search(data[:_MARKUP_SCAN_BYTES]) or not _parses_as(data, kind[0]):
        raise FieldError(
            _l(
                "This file cannot be opened as a PDF or a photo: it is damaged or is another "
                "kind of file. Send another PDF, PNG or JPEG file."
            )
        )
    name = os.path.basename(filename.replace("\\", "/")).strip()[:200] or "attachment"
    return Upload(data=data, name=name, mime=kind[0], extension=kind[1])


def _parses_as(data: bytes, mime: str) -> bool:
    """Whether a PDF parser opens the file and finds a page, or Pillow decodes the whole image
    in the format its header claims (a truncated file, a header glued on a program: no)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a decompression bomb, a broken structure
            if mime == "application/pdf":
                return len(PdfReader(BytesIO(data), strict=True).pages) > 0
            with Image.open(BytesIO(data)) as image:
                claimed = {"image/png": "PNG", "image/jpeg": "JPEG"}[mime]
                if image.format != claimed:
                    return False
                image.verify()
            with Image.open(BytesIO(data)) as image:
                image.load()
            return True
    except Exception:  # any parser error means "not this type"
        return False


def download_name(name: str | None, extension: str) -> str:
    """The name a download is saved under: the participant's name without its extension,
    without characters a file system or a header would misread, with the stored type's own
    extension (a `.hta` or `.exe` name never comes back)."""
    stem = Path(os.path.basename((name or "").replace("\\", "/"))).stem
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._")[:100] or "attachment"
    return stem + extension


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
