"""The words of the stored claims, for suggestions when a search finds nothing ("Lukashnko",
"S400"): each word once, by its folded form (no accents, case or punctuation)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SearchWord(Base):
    """No trigram index: its upkeep cost a third of every article's write, and the one query
    that needs it (a search that found nothing) scans a few hundred thousand short words."""

    __tablename__ = "search_words"

    folded: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The word as written most often is not tracked: the first spelling seen is shown.
    word: Mapped[str] = mapped_column(String(100))
    uses: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
