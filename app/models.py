"""Every mapped model, imported in one place so the metadata is complete (Alembic, tests)."""

from app.accounts.models import ApiToken, LoginAttempt, User
from app.actors.models import Actor, ActorAlias, Mention
from app.articles.models import Article, Source
from app.db import Base
from app.jobs.models import IngestJob, IngestJobFile
from app.review.models import ActorRedirect, AuditEntry
from app.statements.models import Statement

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorRedirect",
    "ApiToken",
    "Article",
    "AuditEntry",
    "Base",
    "IngestJob",
    "IngestJobFile",
    "LoginAttempt",
    "Mention",
    "Source",
    "Statement",
    "User",
]
