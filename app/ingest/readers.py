"""Readers that turn files (.txt, .md, .html, .json, .jsonl) into articles ready to store."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Any

import yaml

from app.ingest.clean import clean_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
RECORD_FIELDS = ("title", "body", "url", "published_at", "source", "external_id")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


class InputError(Exception):
    """Bad input, with where it was (file, file:line) and what was wrong, in words."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class ArticleInput:
    title: str
    body: str
    where: str  # file name, or file:line for JSON lines, for messages
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    external_id: str | None = None
    original_filename: str | None = None
    language: str = "en"


def safe_filename(name: str) -> str:
    """Only the base name of what a user called the file; never a path."""
    base = PurePath(name.replace("\\", "/")).name
    return base.strip()[:255] or "unnamed"


def parse_datetime(value: Any, where: str, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                where, f"{field} {value!r} is not an ISO date (expected e.g. 2022-12-15)"
            ) from None
    else:
        raise InputError(where, f"{field} must be an ISO date string, got {type(value).__name__}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _optional_str(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "external_id":
        return str(value)
    if not isinstance(value, str):
        raise InputError(where, f"{key} must be a string, got {type(value).__name__}")
    return value.strip() or None


def check_url(url: str | None, where: str) -> str | None:
    """Only web addresses: a javascript: or data: URL would become a live link on the site."""
    if url is None:
        return None
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https") or len(url) > 2000 or any(c.isspace() for c in url):
        raise InputError(where, f"url {url[:80]!r} is not a web address (http:// or https://)")
    return url


def decode_text(data: bytes, where: str) -> str:
    if not data.strip():
        raise InputError(where, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(where, "the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            where, f"the file is not UTF-8 text (invalid byte at offset {error.start})"
        ) from None


def split_title(text: str) -> tuple[str, str]:
    """First non-empty line is the title, the rest the body."""
    stripped = text.lstrip("\n")
    title, _, rest = stripped.partition("\n")
    return title.strip(), rest


def read_plain(text: str, filename: str) -> ArticleInput:
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            raise InputError(filename, f"invalid YAML front matter ({error})") from None
        if not isinstance(loaded, dict):
            raise InputError(filename, "the front matter must be a mapping of keys to values")
        meta = loaded
        text = text[match.end() :]
    text = clean_text(text)
    title = meta.get("title")
    if title is None:
        title, text = split_title(text)
        text = clean_text(text)
    elif not isinstance(title, str):
        raise InputError(filename, "the front matter's title must be a string")
    if not text.strip():
        raise InputError(filename, "the article has a title but no body text")
    return ArticleInput(
        title=title.strip(),
        body=text,
        where=filename,
        url=check_url(_optional_str(meta, "url", filename), filename),
        published_at=parse_datetime(
            meta.get("published", meta.get("published_at")), filename, "published"
        ),
        source=_optional_str(meta, "source", filename),
        external_id=_optional_str(meta, "external_id", filename),
        original_filename=filename,
    )


def read_html(text: str, filename: str) -> ArticleInput:
    import trafilatura

    document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    if document is None:
        raise InputError(filename, "no article text could be found in the HTML page")
    found = document if isinstance(document, dict) else document.as_dict()
    body = clean_text(with_endnotes(found.get("text") or "", endnote_lines(text)))
    if not body.strip():
        raise InputError(filename, "no article text could be found in the HTML page")
    title = (found.get("title") or "").strip() or filename
    url = found.get("url") or None
    return ArticleInput(
        title=title,
        body=body,
        where=filename,
        # A page's own idea of its address is kept only when it is a web address.
        url=url if isinstance(url, str) and url.startswith(("http://", "https://")) else None,
        published_at=parse_datetime(found.get("date"), filename, "date"),
        source=found.get("sitename") or found.get("hostname") or None,
        original_filename=filename,
    )


_ENDNOTE = re.compile(r"\[(\d{1,3})\]\s*\S")


def endnote_lines(html: str) -> list[str]:
    """A report's endnote list ("[12] https://…", one paragraph each) as the page shows it:
    the text extractor drops the short link-only paragraphs among them."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    lines: dict[str, None] = {}  # some pages hold the list twice (one copy for print)
    for element in tree.iter("p", "li"):
        line = " ".join(element.text_content().split())
        if _ENDNOTE.match(line):
            lines.setdefault(line)
    return list(lines)


def _endnote_number(line: str) -> int | None:
    match = _ENDNOTE.match(line)
    return int(match.group(1)) if match else None


def with_endnotes(body: str, endnotes: list[str]) -> str:
    """The body with the endnotes it lacks put back in number order among its own."""
    lines = body.split("\n")
    numbered = [(i, n) for i, line in enumerate(lines) if (n := _endnote_number(line)) is not None]
    present = {number for _, number in numbered}
    missing = [line for line in endnotes if _endnote_number(line) not in present]
    if not numbered:
        # A list the extractor dropped whole: only a list, not one stray "[1] …" paragraph.
        return "\n".join([*lines, *missing]) if len(missing) >= 2 else body
    before: dict[int, list[str]] = {}
    for line in missing:
        number = _endnote_number(line) or 0
        at = next((i for i, other in numbered if other > number), numbered[-1][0] + 1)
        before.setdefault(at, []).append(line)
    completed: list[str] = []
    for i, line in enumerate(lines):
        completed.extend(before.pop(i, []))
        completed.append(line)
    for rest in before.values():
        completed.extend(rest)
    return "\n".join(completed)


def read_record(record: Any, where: str, filename: str) -> ArticleInput:
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        raise InputError(where, "the record has no 'body' text")
    body = clean_text(body)
    title = record.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        title, rest = split_title(body)
        body = clean_text(rest) if rest.strip() else body
    elif not isinstance(title, str):
        raise InputError(where, f"title must be a string, got {type(title).__name__}")
    return ArticleInput(
        title=title.strip(),
        body=body,
        where=where,
        url=check_url(_optional_str(record, "url", where), where),
        published_at=parse_datetime(record.get("published_at"), where, "published_at"),
        source=_optional_str(record, "source", where),
        external_id=_optional_str(record, "external_id", where),
        original_filename=filename,
    )


def read_json(text: str, filename: str) -> list[ArticleInput]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{filename}:{error.lineno}", f"invalid JSON ({error.msg}, column {error.colno})"
        ) from None
    records = loaded if isinstance(loaded, list) else [loaded]
    if not records:
        raise InputError(filename, "the JSON array holds no article")
    return [read_record(record, f"{filename}[{i}]", filename) for i, record in enumerate(records)]


def read_jsonl(text: str, filename: str) -> list[ArticleInput]:
    """Every line must be valid: a file with a bad line is rejected whole, naming the line."""
    articles = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{filename}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(
                where, f"invalid JSON line ({error.msg}, column {error.colno})"
            ) from None
        articles.append(read_record(record, where, filename))
    if not articles:
        raise InputError(filename, "the file holds no JSON line")
    return articles


def parse_file(name: str, data: bytes) -> list[ArticleInput]:
    """Articles in one file's bytes; InputError says what is wrong and where."""
    filename = safe_filename(name)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no extension)"
        raise InputError(
            filename,
            f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_SUFFIXES)})",
        )
    text = decode_text(data, filename)
    if suffix in (".txt", ".md"):
        return [read_plain(text, filename)]
    if suffix in (".html", ".htm"):
        return [read_html(text, filename)]
    if suffix == ".json":
        return read_json(text, filename)
    return read_jsonl(text, filename)


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files named, and the files inside folders named (sorted, hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path
