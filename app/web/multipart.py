"""Reading request bodies and multipart forms within a size limit, as they stream in."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from python_multipart.multipart import MultipartParser, parse_options_header

from app.ingest.readers import safe_filename

MAX_FILES = 50
MAX_FIELD_BYTES = 64 * 1024


class UploadTooLarge(Exception):
    def __init__(self, name: str, limit: int) -> None:
        super().__init__(f"{name} is larger than the limit of {limit / 1024 / 1024:g} MB")
        self.name = name
        self.limit = limit


class MalformedUpload(Exception):
    pass


@dataclass
class UploadedFile:
    filename: str
    data: bytes


@dataclass
class UploadForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)


async def read_body(stream: AsyncIterator[bytes], limit: int, name: str = "the request") -> bytes:
    """The whole body, refusing it as soon as it passes the limit (never read in full)."""
    chunks = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(name, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_multipart(
    content_type: str, stream: AsyncIterator[bytes], max_file_bytes: int
) -> UploadForm:
    """Fields and files of a form, each file checked against the limit as it streams.

    A form without files may come URL-encoded; its fields are read the same way.
    """
    mime, options = parse_options_header(content_type)
    if mime == b"application/x-www-form-urlencoded":
        body = await read_body(stream, max_file_bytes + MAX_FIELD_BYTES, "the form")
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        return UploadForm(fields=dict(pairs))
    boundary = options.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise MalformedUpload("expected a multipart/form-data form")
    form = UploadForm()
    headers: dict[bytes, bytes] = {}
    header_field = bytearray()
    header_value = bytearray()
    part = bytearray()
    current: dict[str, str | None] = {}

    def on_part_begin() -> None:
        headers.clear()
        part.clear()
        current.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        current["name"] = name
        # A browser sends a file part with an empty name when no file was chosen: that is no
        # file (and the pasted text beside it is the article).
        current["filename"] = (
            safe_filename(filename.decode("utf-8", "replace")) if filename else None
        )
        current["empty_file"] = "yes" if filename == b"" else None
        if current["filename"] is not None and len(form.files) >= MAX_FILES:
            raise MalformedUpload(f"at most {MAX_FILES} files at once")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        part.extend(data[start:end])
        filename = current.get("filename")
        if filename is not None and len(part) > max_file_bytes:
            raise UploadTooLarge(filename or "a file", max_file_bytes)
        if filename is None and len(part) > MAX_FIELD_BYTES:
            raise UploadTooLarge(f"the field {current.get('name')}", MAX_FIELD_BYTES)

    def on_part_end() -> None:
        filename = current.get("filename")
        name = current.get("name") or ""
        if filename is not None:
            form.files.append(UploadedFile(filename, bytes(part)))
        elif current.get("empty_file"):
            if part:  # data without a name: still a file, called so in messages
                form.files.append(UploadedFile("unnamed", bytes(part)))
        else:
            form.fields[name] = bytes(part).decode("utf-8", "replace")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except (UploadTooLarge, MalformedUpload):
        raise
    except Exception as error:  # the parser's own errors, in words
        raise MalformedUpload(f"the form could not be read ({error})") from None
    return form
