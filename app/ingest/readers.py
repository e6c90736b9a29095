"""Readers that turn files (.txt, .md, .html, .json, .jsonl) into articles ready to store."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Any

import yaml

from app.ingest.clean import clean_text
from app.ingest.metadata import article_url, context_year, date_in_text, page_title, sidecar

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
RECORD_FIELDS = ("title", "body", "url", "published_at", "source", "external_id")
TOO_DEEP = "the JSON is nested too deeply to be an article"
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


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes, where: str) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark) or UTF-16 with its mark;
    anything else is refused, in words."""
    if not data.strip():
        raise InputError(where, "the file is empty")
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(where, f"the UTF-16 text is broken at byte {error.start}") from None
    else:
        if b"\x00" in data[:8192]:
            raise InputError(where, "the file is binary, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # Guessing a legacy encoding from bytes alone mixes up Windows-1250 and -1252 on
            # short texts (measured with charset-normalizer): refuse rather than garble.
            raise InputError(
                where,
                f"the file is not UTF-8 text (invalid byte at offset {error.start}), nor UTF-16 "
                "with a byte-order mark; save it as UTF-8",
            ) from None
    if "\x00" in text:
        raise InputError(where, f"the text holds a NUL character at offset {text.index(chr(0))}")
    return text


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
    published = parse_datetime(
        meta.get("published", meta.get("published_at")), filename, "published"
    )
    return ArticleInput(
        title=title.strip(),
        body=text,
        where=filename,
        url=check_url(_optional_str(meta, "url", filename), filename),
        published_at=published or date_in_text(text),
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
    site = found.get("sitename") or None
    title = page_title(text, found.get("title"), site) or filename
    url = found.get("url")
    published = parse_datetime(found.get("date"), filename, "date")
    if published is None:
        published = date_in_text(body, context_year(body))
    return ArticleInput(
        title=title,
        body=body,
        where=filename,
        # A page's own idea of its address, when it is a web address and not just the site's.
        url=article_url(url if isinstance(url, str) else None),
        published_at=published,
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
        published_at=(
            parse_datetime(record.get("published_at"), where, "published_at") or date_in_text(body)
        ),
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
    except RecursionError:
        raise InputError(filename, TOO_DEEP) from None
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
        except RecursionError:
            raise InputError(where, TOO_DEEP) from None
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


def expand_paths(paths: list[Path], skipped: list[Path] | None = None) -> Iterator[Path]:
    """Files named, and the article files inside folders named (sorted, hidden files left
    out); other files in a folder (the gazetteer's YAML beside the seeds) go to `skipped`."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if not child.is_file() or any(part.startswith(".") for part in relative):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
                elif skipped is not None and not child.name.endswith(".meta.yaml"):
                    skipped.append(child)
        else:
            yield path


def with_sidecar(articles: list[ArticleInput], path: Path) -> list[ArticleInput]:
    """The articles of a file, with what its metadata file (`name.meta.yaml`: title, source,
    url, published, external_id) says in place of what the file itself gave."""
    meta_path = sidecar(path)
    if not meta_path.is_file():
        return articles
    where = str(meta_path)
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(where, f"the metadata file cannot be read ({error})") from None
    if not isinstance(meta, dict):
        raise InputError(where, "the metadata file must be a mapping of keys to values")
    changes: dict[str, Any] = {}
    for key in ("title", "source", "external_id"):
        if (value := _optional_str(meta, key, where)) is not None:
            changes[key] = value
    if (url := check_url(_optional_str(meta, "url", where), where)) is not None:
        changes["url"] = url
    published = parse_datetime(meta.get("published", meta.get("published_at")), where, "published")
    if published is not None:
        changes["published_at"] = published
    return [replace(article, **changes) for article in articles]
