"""Every mapped model, imported in one place so the metadata is complete (Alembic, tests)."""

from app.actors.models import Actor, ActorAlias, Mention
from app.articles.models import Article, Source
from app.db import Base
from app.statements.models import Statement

__all__ = ["Actor", "ActorAlias", "Article", "Base", "Mention", "Source", "Statement"]
