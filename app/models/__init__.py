"""The mapped tables, the bottom layer of the application: they import nothing of it.

Importing any model imports this package, so every mapper is configured together and links
between tables (statements.reviewed_by_id to users) resolve in any process.
"""

from app.models.accounts import ROLES, ApiToken, LoginAttempt, User
from app.models.actors import ACTOR_KINDS, Actor, ActorAlias, ActorDay, Mention
from app.models.articles import Article, ArticleBand, Source
from app.models.base import Base
from app.models.feeds import Feed, FeedEntry
from app.models.groups import POLARITIES, ClaimGroup, ClaimGroupBand, GroupingRule
from app.models.jobs import FILE_STATUSES, JOB_STATUSES, IngestJob, IngestJobFile
from app.models.review import ActorRedirect, AuditEntry, ReviewBatch
from app.models.search import SearchWord
from app.models.statements import (
    CLAIM_TYPES,
    CUE_CLASSES,
    LISTED_SQL,
    REVIEW_STATUSES,
    SORT_KEY_SQL,
    STATEMENT_KINDS,
    Statement,
)
from app.models.topics import TopicActor, TopicRow

__all__ = [
    "ACTOR_KINDS",
    "CLAIM_TYPES",
    "CUE_CLASSES",
    "FILE_STATUSES",
    "JOB_STATUSES",
    "LISTED_SQL",
    "POLARITIES",
    "REVIEW_STATUSES",
    "ROLES",
    "SORT_KEY_SQL",
    "STATEMENT_KINDS",
    "Actor",
    "ActorAlias",
    "ActorDay",
    "ActorRedirect",
    "ApiToken",
    "Article",
    "ArticleBand",
    "AuditEntry",
    "Base",
    "ClaimGroup",
    "ClaimGroupBand",
    "Feed",
    "FeedEntry",
    "GroupingRule",
    "IngestJob",
    "IngestJobFile",
    "LoginAttempt",
    "Mention",
    "ReviewBatch",
    "SearchWord",
    "Source",
    "Statement",
    "TopicActor",
    "TopicRow",
    "User",
]
