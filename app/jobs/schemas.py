"""The JSON shapes of the batch ingest API: what is sent, and what a job reports."""

from datetime import datetime

from pydantic import BaseModel, Field

from app.articles.schemas import ArticlePayload
from app.models.jobs import IngestJob, IngestJobFile


class BatchArticles(BaseModel):
    articles: list[ArticlePayload] = Field(..., min_length=1, description="The articles to add.")


class JobAccepted(BaseModel):
    job_id: int = Field(examples=[12])
    url: str = Field(description="The job's page.", examples=["/jobs/12"])
    status_url: str = Field(description="The job as JSON.", examples=["/api/jobs/12"])


class JobCounts(BaseModel):
    files: int
    pending: int
    created: int = Field(description="Files whose articles were stored.")
    existing: int = Field(description="Files whose articles were already stored.")
    failed: int


class JobFileOut(BaseModel):
    position: int
    filename: str
    size: int = Field(description="Bytes.")
    status: str = Field(description="pending, created, existing or failed.")
    message: str | None = Field(description="Why the file failed, or a note on its articles.")
    article_id: int | None = Field(description="The (first) stored article of the file.")
    article_url: str | None
    article_count: int = Field(description="Articles in the file (a .jsonl may hold several).")
    statements: int = Field(description="Statements extracted from the new articles.")

    @classmethod
    def of(cls, file: IngestJobFile) -> "JobFileOut":
        return cls(
            position=file.position,
            filename=file.filename,
            size=file.size,
            status=file.status,
            message=file.message,
            article_id=file.article_id,
            article_url=f"/articles/{file.article_id}" if file.article_id else None,
            article_count=file.article_count,
            statements=file.statements,
        )


class JobOut(BaseModel):
    id: int
    status: str = Field(description="queued, running, done or failed.", examples=["running"])
    url: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    message: str | None = Field(description="Why the job failed, if it did.")
    counts: JobCounts
    files: list[JobFileOut]

    @classmethod
    def of(cls, job: IngestJob) -> "JobOut":
        return cls(
            id=job.id,
            status=job.status,
            url=f"/jobs/{job.id}",
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            message=job.message,
            counts=JobCounts(
                files=job.file_count,
                pending=job.pending_count,
                created=job.created_count,
                existing=job.existing_count,
                failed=job.failed_count,
            ),
            files=[JobFileOut.of(file) for file in job.files],
        )
