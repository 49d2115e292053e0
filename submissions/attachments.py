"""Attachments of ideas: type checked by content (not by name) and parsed as that type, size-capped,
kept in the file store (`storage.stores`: the database, or UPLOADS_DIR) under a random key with
the type's own extension; only organisers download them, under the type's extension too (a
`%PDF-` header on an HTA script is no PDF)."""

import os
import re
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image

from fieldtypes import FieldError
from storage.stores import DirectoryStore, FileStore, store_for

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
MARKUP = re.compile(rb"<\s*(script|html|hta:|body|iframe|svg|!doctype)", re.I)
MARKUP_SCAN_BYTES = 1024
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
    if MARKUP.search(data[:MARKUP_SCAN_BYTES]) or not parses_as(data, kind[0]):
        raise FieldError(
            _l(
                "This file cannot be opened as a PDF or a photo: it is damaged or is another "
                "kind of file. Send another PDF, PNG or JPEG file."
            )
        )
    name = os.path.basename(filename.replace("\\", "/")).strip()[:200] or "attachment"
    return Upload(data=data, name=name, mime=kind[0], extension=kind[1])


def parses_as(data: bytes, mime: str) -> bool:
    """Whether a PDF parser opens the file and finds a page, or Pillow decodes the whole image
    in the format its header claims (a truncated file, a header glued on a program: no)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a decompression bomb, a broken structure
            if mime == "application/pdf":
                from pypdf import PdfReader  # here: 7 MB a process, for PDFs only

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


def file_store() -> FileStore:
    """Where attachments are kept (FILE_STORE), every host of a deployment seeing the same."""
    return store_for("attachments", uploads_dir())


def store(upload: Upload, event_id: int) -> str:
    """Keep the file under a random key (in the current transaction for the database store);
    returns the key, which the idea keeps in `attachment_path`."""
    key = f"{event_id}/{secrets.token_hex(16)}{upload.extension}"
    file_store().put(key, upload.data)
    return key


def discard(key: str | None) -> None:
    """Remove a stored file whose idea is not kept (a duplicate post, an erased idea)."""
    if key:
        file_store().delete(key)


def abandon(key: str | None) -> None:
    """Forget a file stored by a transaction that failed (the database store's chunks go with
    its rollback; a file in a folder must be removed)."""
    if key:
        file_store().abandon(key)


def open_stored(key: str):
    """The stored file, to read (FileNotFoundError when it is not there)."""
    return file_store().open(key)


def files_to_move() -> Iterator[tuple[str, Path]]:
    """(key, file) of each attachment still in UPLOADS_DIR while the store is elsewhere: what
    `flask move-attachments` moves. Nothing when the store is UPLOADS_DIR itself."""
    if isinstance(file_store(), DirectoryStore):
        return
    for path in sorted(uploads_dir().rglob("*")):
        if path.is_file() and not path.name.endswith(".part"):
            yield path.relative_to(uploads_dir()).as_posix(), path


def move_to_store(key: str, path: Path) -> bool:
    """Copy one file from UPLOADS_DIR into the store (current transaction), unless the store has
    it already (a move interrupted after its commit); True when it was copied. The caller
    commits, then deletes the file."""
    store_ = file_store()
    if store_.exists(key):
        return False
    with path.open("rb") as source:
        store_.put(key, source)
    return True
