"""Where files live. `store_for(area, directory)` answers the store of the configuration:
FILE_STORE "database" (every host sharing the database sees the file; the default on
PostgreSQL) or "directory" (a folder, the default with the embedded SQLite; several hosts need it
on shared storage). Keys are relative paths (`12/3f9c….pdf`); the database keeps them under
their area (`attachments/12/3f9c….pdf`). Files are written and read by chunks."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import delete, func, insert, select

from extensions import db
from storage.models import FileChunk

CHUNK_BYTES = 256 * 1024
STORES = ("database", "directory")


class FileStore(Protocol):
    # Whether what `put` wrote belongs to the current transaction (gone with its rollback).
    transactional: bool

    def put(self, key: str, data: bytes | BinaryIO) -> None: ...
    def open(self, key: str) -> BinaryIO: ...  # FileNotFoundError when absent
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def abandon(self, key: str) -> None: ...  # after a failed transaction


def _chunks(data: bytes | BinaryIO):
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK_BYTES):
            yield bytes(view[start : start + CHUNK_BYTES])
        return
    while chunk := data.read(CHUNK_BYTES):
        yield chunk


class DirectoryStore:
    """Files under a folder, written to a `.part` file then renamed (never half a file)."""

    transactional = False

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file of a key, refusing any key that would leave the folder."""
        base = self.root.resolve()
        path = (base / key).resolve()
        if base not in path.parents:
            raise FileNotFoundError(key)
        return path

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        with partial.open("wb") as output:
            for chunk in _chunks(data):
                output.write(chunk)
        os.replace(partial, target)

    def open(self, key: str) -> BinaryIO:
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path.open("rb")

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except FileNotFoundError:
            return False

    def delete(self, key: str) -> None:
        try:
            self.path(key).unlink(missing_ok=True)
        except FileNotFoundError:
            pass

    abandon = delete


class DatabaseStore:
    """Chunks in the `file_chunks` table, written in the current transaction (committed with the
    row that names them, gone with its rollback) and read back one chunk per statement."""

    transactional = True

    def __init__(self, area: str):
        self.area = area

    def _key(self, key: str) -> str:
        return f"{self.area}/{key}"

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        stored = self._key(key)
        for seq, chunk in enumerate(_chunks(data)):
            db.session.execute(insert(FileChunk).values(key=stored, seq=seq, data=chunk))

    def _count(self, key: str) -> int:
        """Chunks of a key, counted on a connection of its own: the session stays out of any
        transaction (on SQLite, a reader must not hold the lock the write after it needs)."""
        query = select(func.count()).select_from(FileChunk).where(FileChunk.key == self._key(key))
        with db.engine.connect() as connection:
            return connection.scalar(query)

    def open(self, key: str) -> BinaryIO:
        """A reader on connections of its own (the request's session may be gone before the
        download has been sent)."""
        count = self._count(key)
        if not count:
            raise FileNotFoundError(key)
        return io.BufferedReader(_ChunkReader(db.engine, self._key(key), count), CHUNK_BYTES)

    def exists(self, key: str) -> bool:
        return self._count(key) > 0

    def delete(self, key: str) -> None:
        db.session.execute(delete(FileChunk).where(FileChunk.key == self._key(key)))

    def abandon(self, key: str) -> None:
        """Nothing to do: the rollback of the failed transaction takes the chunks with it."""


class _ChunkReader(io.RawIOBase):
    """Reads a stored file chunk after chunk, each on a connection of its own: a download is
    streamed after the request's session has ended, and holds no connection between chunks."""

    def __init__(self, engine, key: str, count: int):
        self._engine, self._key, self._count = engine, key, count
        self._next, self._chunk, self._offset = 0, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._chunk):
            if self._next >= self._count:
                return 0
            with self._engine.connect() as connection:
                self._chunk = (
                    connection.scalar(
                        select(FileChunk.data).where(
                            FileChunk.key == self._key, FileChunk.seq == self._next
                        )
                    )
                    or b""
                )
            self._next, self._offset = self._next + 1, 0
        size = min(len(buffer), len(self._chunk) - self._offset)
        buffer[:size] = self._chunk[self._offset : self._offset + size]
        self._offset += size
        return size


def configured_store() -> str:
    """FILE_STORE, or the default of the database in use."""
    chosen = current_app.config.get("FILE_STORE")
    if chosen:
        if chosen not in STORES:
            raise ValueError(f"FILE_STORE must be one of {STORES}, not {chosen!r}")
        return chosen
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return "directory" if uri.startswith("sqlite") else "database"


def store_for(area: str, directory: str | Path) -> FileStore:
    """The store of the configuration for an area of files (`attachments`), with the folder
    the directory store uses for it."""
    if configured_store() == "database":
        return DatabaseStore(area)
    return DirectoryStore(directory)
