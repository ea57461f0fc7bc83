"""The layering rules of DESIGN.md §2 and STYLE.md, checked by reading every module's imports."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import handlers

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage", "schedules")
PLATFORM_SDKS = ("linebot", "slack_bolt", "slack_sdk")
SQL_BUILDERS = {"select", "update", "delete", "insert", "col", "text", "func", "and_", "or_"}
IMPORT_TIME_FACTORIES = {"load_settings", "make_engine", "create_engine", "build_runtime"}


@dataclass(frozen=True)
class Module:
    path: Path
    tree: ast.Module

    @property
    def name(self) -> str:
        return ".".join(self.path.relative_to(ROOT).with_suffix("").parts)

    def imports(self) -> list[tuple[str, str | None]]:
        """Return (module, imported name) pairs; the name is None for `import module`."""
        found: list[tuple[str, str | None]] = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                found.extend((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.extend((node.module, alias.name) for alias in node.names)
        return found


def _modules(*packages: str) -> list[Module]:
    paths = sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))
    return [Module(p, ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in paths]


def _top_level(module: str) -> str:
    return module.partition(".")[0]


def test_modules_are_found():
    names = {m.name for m in _modules(*PACKAGES)}
    assert {"bot.engine", "bot.channels.console", "handlers.registration", "storage.db"} <= names


def test_only_channel_adapters_import_the_platform_sdks():
    offenders = [
        f"{m.name} imports {imported}"
        for m in _modules(*PACKAGES)
        if not m.name.startswith("bot.channels.")
        for imported, _ in m.imports()
        if _top_level(imported) in PLATFORM_SDKS
    ]
    assert offenders == []


def test_handlers_never_build_sql():
    offenders = []
    for m in _modules("handlers"):
        for imported, name in m.imports():
            if _top_level(imported) == "sqlalchemy":
                offenders.append(f"{m.name} imports {imported}")
            elif _top_level(imported) == "sqlmodel" and name in SQL_BUILDERS:
                offenders.append(f"{m.name} imports {name} from sqlmodel")
    assert offenders == []


def test_handlers_never_talk_to_a_channel():
    offenders = [
        f"{m.name} imports {imported}"
        for m in _modules("handlers")
        for imported, _ in m.imports()
        if imported.startswith("bot.channels")
    ]
    assert offenders == []


def test_only_settings_reads_the_environment():
    offenders = []
    for m in _modules(*PACKAGES):
        if m.name == "bot.settings":
            continue
        for node in ast.walk(m.tree):
            reads_os = isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}
            imports_os = isinstance(node, ast.ImportFrom) and node.module == "os"
            if reads_os or (
                imports_os and any(a.name in {"environ", "getenv"} for a in node.names)
            ):
                offenders.append(f"{m.name}:{node.lineno}")
    assert offenders == []


def test_nothing_is_wired_at_import_time():
    offenders = []
    for m in _modules(*PACKAGES):
        for statement in m.tree.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            for node in ast.walk(statement):
                if isinstance(node, ast.Call) and _called_name(node) in IMPORT_TIME_FACTORIES:
                    offenders.append(f"{m.name}:{node.lineno} calls {_called_name(node)}")
    assert offenders == []


def test_every_handler_module_with_register_is_listed():
    with_register = {
        m.name
        for m in _modules("handlers")
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "register" for node in m.tree.body
        )
    }
    listed = {module.__name__ for module in handlers.HANDLERS}
    assert with_register - listed == set()
    assert all(hasattr(module, "register") for module in handlers.HANDLERS)


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None
