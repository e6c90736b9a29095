"""Links that change one thing in the current query string: the URL is the page's state."""

from collections.abc import Iterable
from urllib.parse import parse_qsl, quote_plus

from starlette.datastructures import URL

# Changing a filter starts the list again from its first page.
_RESET_ON_CHANGE = ("cursor",)


def _encode(pair: tuple[str, str]) -> str:
    """One key=value of a query string, as urllib.parse.urlencode writes it."""
    return f"{quote_plus(pair[0])}={quote_plus(pair[1])}"


class Here:
    """The current page's path and query, and the links a page builds from them."""

    def __init__(self, path: str, params: Iterable[tuple[str, str]]) -> None:
        self.path = path
        self.params = [(key, value) for key, value in params if value != ""]
        # A page builds dozens of links from the same pairs: encode each pair once.
        self._encoded = {pair: _encode(pair) for pair in self.params}

    @classmethod
    def of(cls, url: URL) -> "Here":
        return cls(url.path, parse_qsl(url.query, keep_blank_values=True))

    def _link(self, params: list[tuple[str, str]], path: str | None = None) -> str:
        query = "&".join(self._encoded.get(pair) or _encode(pair) for pair in params)
        return f"{path or self.path}?{query}" if query else (path or self.path)

    def _kept(self, *dropped: str) -> list[tuple[str, str]]:
        gone = set(dropped) | set(_RESET_ON_CHANGE)
        return [(key, value) for key, value in self.params if key not in gone]

    def values(self, key: str) -> list[str]:
        return [value for name, value in self.params if name == key]

    def get(self, key: str) -> str | None:
        values = self.values(key)
        return values[0] if values else None

    def toggle(self, key: str, value: str) -> str:
        """Add the value to a repeatable parameter, or remove it if already there."""
        kept = self._kept()
        if (key, value) in kept:
            return self._link([pair for pair in kept if pair != (key, value)])
        return self._link([*kept, (key, value)])

    def choose(self, key: str, value: str) -> str:
        """Set a single-valued parameter, or clear it if it already has this value."""
        kept = self._kept(key)
        if self.get(key) == value:
            return self._link(kept)
        return self._link([*kept, (key, value)])

    def replace(self, **changes: str | None) -> str:
        """Set or (with None) drop parameters; `from_` stands for `from`."""
        names = {name.rstrip("_"): value for name, value in changes.items()}
        kept = [(key, value) for key, value in self.params if key not in names]
        if "cursor" not in names:
            kept = [(key, value) for key, value in kept if key != "cursor"]
        added = [(key, value) for key, value in names.items() if value is not None]
        return self._link([*kept, *added])

    def at(self, path: str, *dropped: str, add: dict[str, str] | None = None) -> str:
        """The same query on another path (the JSON and CSV twins), with pairs added."""
        kept = [(key, value) for key, value in self.params if key not in set(dropped)]
        return self._link([*(add or {}).items(), *kept], path)

    def clear(self) -> str:
        return self.path
