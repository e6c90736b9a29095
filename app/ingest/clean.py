"""Cleaning article text before it is stored: line endings, control characters, page furniture."""

import re
import unicodedata

# Whole lines that are page furniture, not article text. Matched case-insensitively against a
# stripped line, and only at the start or the end of the text, where scrapers leave them.
BOILERPLATE_LINES = re.compile(
    r"""^(?:
        back\ to\ top(?:\ button)?
      | skip\ to\ (?:main\ )?content
      | advertisement
      | (?:share|print|email)(?:\ (?:this|on\ \w+))?(?:\ article|\ story)?
      | (?:sign\ up|subscribe)\ (?:for|to)\ (?:our|the)\ \w+(?:\ \w+)?
      | (?:read|see)\ (?:more|also)\ ?[:>]?
      | related(?:\ articles|\ stories)?\ ?:?
      | continue\ reading(?:\ the\ main\ story)?
      | supported\ by
      | photo:.*
      | image\ source,.*
      | (?:all\ rights\ reserved|©).*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_RUN = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """The text as it will be stored and shown: every statement offset points into this."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and (not lines[-1].strip() or BOILERPLATE_LINES.match(lines[-1].strip())):
        lines.pop()
    while lines and (not lines[0].strip() or BOILERPLATE_LINES.match(lines[0].strip())):
        lines.pop(0)
    return _BLANK_RUN.sub("\n\n", "\n".join(lines))
