"""Response shapes of the JSON API, so the OpenAPI schema documents them."""

from pydantic import BaseModel, Field


class ArticleRef(BaseModel):
    id: int
    external_id: str | None
    title: str
    source: str | None
    url: str | None
    published_at: str | None = Field(description="ISO 8601 timestamp, or null when undated.")


class SpeakerRef(BaseModel):
    id: int
    slug: str
    name: str
    kind: str


class Citation(BaseModel):
    n: int = Field(description="The endnote's number in the report, as in “[12]”.")
    url: str = Field(description="Where the endnote points: the primary source.")


class StatementItem(BaseModel):
    """One statement, in the shape of a `claimtracker export` line plus cue_class, confidence
    and rule."""

    id: int
    article: ArticleRef
    speaker: SpeakerRef | None = Field(description="Null when the speaker was not resolved.")
    speaker_mention: str = Field(description="How the article names the speaker.")
    cue: str = Field(description='The reporting verb or phrase, e.g. "said", "dismissed".')
    kind: str = Field(description="direct, indirect or mixed.")
    content: str = Field(description="The attributed words: article.body[start:end].")
    start: int
    end: int
    type: str = Field(
        description="statement (a claim: said, wrote, denied, assessed …), belief (thinks, "
        "is aware …), intention (wants, plans, seeks …) or other (an attribution that is not "
        "a claim: a noun-phrase object, an observation)."
    )
    citations: list[Citation] = Field(
        description="The report's endnotes that the statement's sentence cites."
    )
    cue_class: str = Field(description="assert, deny, predict, speculate or other.")
    confidence: float
    rule: str = Field(description="The extractor's rule that found it.")
    review_status: str = Field(description="unreviewed, confirmed, rejected or corrected.")
    permalink: str = Field(description="The claim in its article, on this site.")
    claim_group_id: int | None = Field(
        None,
        description="The claim group: the same claim in other articles (/api/claims/{id}); "
        "null when not grouped.",
    )


class StatementList(BaseModel):
    items: list[StatementItem]
    total: int = Field(
        description="Matching statements: an exact count, or an estimate to two figures for a "
        "result too large to count quickly (see estimated)."
    )
    estimated: bool = Field(False, description="True when `total` is an estimate.")
    total_capped: bool = Field(description="The older name of `estimated`.")
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
    prev_cursor: str | None = Field(
        None, description="Pass as `cursor` for the page before; null on the first page."
    )


class ActorItem(BaseModel):
    id: int
    slug: str
    name: str
    kind: str
    statement_count: int


class ActorList(BaseModel):
    items: list[ActorItem]
    total: int
    next_offset: int | None


class RelatedActor(BaseModel):
    id: int
    slug: str
    name: str
    kind: str
    shared_articles: int


class RepeatedClaimItem(BaseModel):
    id: int = Field(description="The claim group: /claims/{id}, /api/claims/{id}.")
    text: str = Field(description="The words of its first appearance.")
    statement_count: int
    article_count: int
    first_seen: str | None


class ActorDetail(BaseModel):
    id: int
    slug: str
    name: str
    kind: str
    role: str | None
    country: str | None
    aliases: list[str]
    statement_count: int
    statement_count_capped: bool
    timeline: list[tuple[str, int]] = Field(description="[ISO day, statements] pairs.")
    related: list[RelatedActor]
    statements: list[StatementItem] = Field(description="The newest statements (first page).")
    next_cursor: str | None = Field(description="Cursor for /api/statements?actor={slug}.")
    repeated_claims: list[RepeatedClaimItem] = Field(
        default_factory=list,
        description="Their claims made in two statements or more, most repeated first (10).",
    )


class ArticleDetail(BaseModel):
    id: int
    external_id: str | None
    title: str
    source: str | None
    url: str | None
    published_at: str | None
    language: str
    body: str = Field(description="The text every statement's start/end points into.")
    statements: list[StatementItem]
    copy_of: "CopyRefItem | None" = Field(
        None, description="The earlier article this one is a wire copy of (same text)."
    )
    copies: list["CopyRefItem"] = Field(
        default_factory=list, description="Later articles that are wire copies of this one."
    )


class CopyRefItem(BaseModel):
    id: int
    title: str
    source: str | None
    published_at: str | None


class TopicGroup(BaseModel):
    speaker: SpeakerRef | None
    speaker_mention: str
    cue_counts: dict[str, int]
    statements: list[StatementItem]


class TopicDetail(BaseModel):
    slug: str
    title: str
    description: str
    terms: list[str]
    actors: list["TopicActorRef"] = Field(
        default=[], description="Actors whose claims the topic includes."
    )
    total: int
    sampled: bool = Field(description="True when only the newest 500 statements are grouped.")
    groups: list[TopicGroup]


class TopicSummary(BaseModel):
    slug: str
    title: str
    description: str
    terms: list[str]
    actors: list["TopicActorRef"] = Field(
        default=[], description="Actors whose claims the topic includes."
    )


class TopicActorRef(BaseModel):
    slug: str
    name: str
