"""The Jinja2 environment: autoescaping on, and the few filters the templates share."""

from datetime import date, datetime
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from app.settings import PROJECT_ROOT
from app.web.render import render_content


def number(value: int) -> str:
    return f"{value:,}"


def day(value: str | date | datetime | None) -> str:
    """A date as people read it: 8 Dec 2022."""
    if value is None:
        return "undated"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return f"{value.day} {value:%b %Y}"


def iso_day(value: str | date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d")


def plural(count: int, singular: str, many: str | None = None) -> str:
    word = singular if count == 1 else (many or singular + "s")
    return f"{count:,} {word}"


class _Environment(Environment):
    """Looks a name up in a dict before trying an attribute of that name.

    The pages pass statements as the JSON API's dicts; Jinja's default tries the attribute
    first, and the AttributeError it raises and catches for every `item.speaker` cost more
    than the rest of rendering a claim.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def _environment() -> Environment:
    environment = _Environment(
        loader=FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        number=number, day=day, iso_day=iso_day, content=render_content, plural=plural
    )
    return environment


templates = Jinja2Templates(env=_environment())
