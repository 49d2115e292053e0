"""The size of a workbook once unpacked, measured before any parser reads it: an .xlsx is a zip,
and a few hundred kilobytes can unpack to hundreds of megabytes (one 300 MB cell in a 311 KB
file made openpyxl use 712 MB). Imports refuse a file whose parts unpack beyond a limit."""

import zipfile
from io import BytesIO

# Far above a full template (5,000 ideas of long texts unpack to about 15 MB).
WORKBOOK_MAX_UNPACKED = 32 * 1024 * 1024
_CHUNK = 1024 * 1024


def unpacks_beyond(data: bytes, limit: int = WORKBOOK_MAX_UNPACKED) -> bool:
    """True when the zip's parts unpack to more than `limit` bytes in all. The bytes are counted
    as they stream out (the sizes a zip declares may lie), a chunk at a time, and counting stops
    at the limit. Not a zip at all: False (the parser says what is wrong with it)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return False
    total = 0
    with archive:
        if sum(info.file_size for info in archive.infolist()) > limit:
            return True
        for info in archive.infolist():
            try:
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            return True
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
                return False  # damaged or encrypted: the parser refuses it with its message
    return False
