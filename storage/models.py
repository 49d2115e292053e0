"""A stored file in the database: its bytes cut in chunks of `stores.CHUNK_BYTES`, numbered from 0,
so that neither writing nor reading ever holds more than one chunk beyond what the caller has."""

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class FileChunk(db.Model):
    __tablename__ = "file_chunks"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
