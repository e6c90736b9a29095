"""The house rules, read from the code's imports: no import cycle, and imports run one way
(web -> domains -> models; the extractor imports nothing of the application)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
DOMAINS = (
    "accounts",
    "actors",
    "articles",
    "groups",
    "ingest",
    "jobs",
    "review",
    "statements",
    "topics",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs: imports under `if TYPE_CHECKING:` do not count."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(child) for child in ast.walk(node))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # "from app import migrate" imports the module app.migrate.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(path): path for path in APP.rglob("*.py")}
IMPORTS = {
    name: {target for target in _runtime_imports(path) if target in MODULES and target != name}
    for name, path in MODULES.items()
}


def _imports_of(prefix: str) -> dict[str, set[str]]:
    return {
        name: {
            target
            for target in _runtime_imports(path)
            if target.split(".")[0] in ("fastapi", "starlette") or target.startswith("app")
        }
        for name, path in MODULES.items()
        if name == prefix or name.startswith(prefix + ".")
    }


def test_no_import_cycle() -> None:
    # A package's __init__ importing its own modules is not a cycle back into them.
    edges = {
        name: {t for t in targets if not name.startswith(t + ".")}
        for name, targets in IMPORTS.items()
    }
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = [*path[path.index(name) :], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(edges[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])


@pytest.mark.parametrize("domain", DOMAINS)
def test_domains_know_nothing_of_http(domain: str) -> None:
    for name, targets in _imports_of(f"app.{domain}").items():
        http = {t for t in targets if t.split(".")[0] in ("fastapi", "starlette")}
        assert not http, f"{name} imports {sorted(http)}: routes belong in app.web"
        assert not any(t.startswith("app.web") for t in targets), f"{name} imports app.web"


def test_models_are_the_bottom_layer() -> None:
    for name, targets in _imports_of("app.models").items():
        app_imports = {t for t in targets if t.startswith("app") and t != "app"}
        outside = {t for t in app_imports if not t.startswith("app.models")}
        assert not outside, f"{name} imports {sorted(outside)}"


def test_the_extractor_imports_nothing_of_the_application() -> None:
    for name, targets in _imports_of("app.extract").items():
        outside = {t for t in targets if t.startswith("app.") and not t.startswith("app.extract")}
        assert not outside, f"{name} imports {sorted(outside)}"
