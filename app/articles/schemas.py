"""The JSON shape of an article sent to the API (one article, or each of a batch)."""

from pydantic import BaseModel, Field


class ArticlePayload(BaseModel):
    """One article sent as JSON; checked in full like an uploaded .json file."""

    title: str | None = Field(None, max_length=1000, description="Defaults to the first line.")
    body: str = Field(..., min_length=1, description="The article text.")
    url: str | None = Field(None, max_length=2000, description="An http(s) address.")
    published_at: str | None = Field(None, description="ISO date or date-time.")
    source: str | None = Field(None, max_length=200, description="The outlet's name.")
    external_id: str | None = Field(None, max_length=300, description="Your own identifier.")


class ArticleRequest(ArticlePayload):
    """One article sent to POST /api/articles: its text, or only its `url` to fetch it."""

    body: str | None = Field(  # type: ignore[assignment]
        None,
        min_length=1,
        description="The article text; leave it out to have the article fetched from `url`.",
    )
