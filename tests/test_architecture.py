"""The layers of README's "How the app is put together", checked by reading the source (ast): routes
never commit or roll back; rules and standards know nothing of Flask, models, services or blueprints;
models know nothing of services or blueprints; permissions ask no service; no blueprint imports
another. Every import counts: `import x`, `from x import y`, relative ones, and those inside
functions. Each failure names the file and line."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "metpwa"


@dataclass(frozen=True)
class Imported:
    """One import statement: the importing module (dotted), its file and line, and what it imports,
    dotted and absolute; `from a import b` imports a, and a.b when b is a module (`from .. import
    services`), so both are listed."""

    module: str
    path: str
    line: int
    targets: tuple[str, ...]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, source: str | None = None) -> list[Imported]:
    """Every import statement of the file, at module level or inside a function."""
    source = path.read_text() if source is None else source
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            targets = tuple(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[:len(base_parts) - node.level + 1])
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            targets = (origin, *(f"{origin}.{alias.name}" for alias in node.names if alias.name != "*"))
        else:
            continue
        found.append(Imported(name, str(path.relative_to(ROOT)), node.lineno, targets))
    return found


def commits(path: Path, source: str | None = None) -> list[tuple[str, int, str]]:
    """Calls of .commit() or .rollback() on anything (db.session, a connection, a session)."""
    source = path.read_text() if source is None else source
    tree = ast.parse(source, filename=str(path))
    return [(str(path.relative_to(ROOT)), node.lineno, node.func.attr) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("commit", "rollback")]


def _within(target: str, *prefixes: str) -> bool:
    return any(target == prefix or target.startswith(prefix + ".") for prefix in prefixes)


def _is_flask(target: str) -> bool:
    top = target.split(".")[0]
    return top in ("flask", "werkzeug") or top.startswith("flask_")


def _files(under: str) -> list[Path]:
    start = PACKAGE / under
    return [start] if start.is_file() else sorted(start.rglob("*.py"))


def _area(module: str) -> str | None:
    """The blueprint package a module belongs to (metpwa.blueprints.sessions.forms: sessions); None for
    a module beside the packages (metpwa.blueprints.intake_step), which any area may use."""
    parts = module.split(".")
    if len(parts) < 3 or parts[:2] != ["metpwa", "blueprints"]:
        return None
    return parts[2] if (PACKAGE / "blueprints" / parts[2]).is_dir() else None


def _break(module: str, target: str) -> str | None:
    """Why importing `target` from `module` crosses a layer boundary, or None."""
    layer = module.split(".")[1] if "." in module else ""
    if layer in ("rules", "standards"):
        if _is_flask(target):
            return f"{layer}/ is plain Python, without Flask (move it to a service or a blueprint's forms.py)"
        if _within(target, "metpwa.models", "metpwa.services", "metpwa.blueprints"):
            return f"{layer}/ takes plain values, never models, services or blueprints"
    if layer == "models" and _within(target, "metpwa.services", "metpwa.blueprints"):
        return "models/ are tables, below services and blueprints"
    if module == "metpwa.permissions" and _within(target, "metpwa.services", "metpwa.blueprints"):
        return ("permissions ask no service: pass in what the service decided, as "
                "permissions.holds(..., under_emergency_grant=...) does")
    own, other = _area(module), _area(target)
    if other is not None and own != other and _within(module, "metpwa.blueprints"):
        whose = f"blueprint {own}" if own else "a module beside the blueprint packages"
        return (f"{whose} imports blueprint {other} (share it through standards/, services/, metpwa/forms.py or "
                "a module beside the packages in blueprints/)")
    return None


def layer_breaks(files: list[Path], *, sources: dict[Path, str] | None = None) -> list[str]:
    """Every import across a layer boundary (one line per import statement), naming file and line."""
    sources = sources or {}
    found = []
    for path in files:
        for item in imports(path, sources.get(path)):
            for target in item.targets:
                if (why := _break(item.module, target)) is not None:
                    found.append(f"{item.path}:{item.line} imports {target}: {why}")
                    break
    return sorted(found)


def test_no_blueprint_commits_or_rolls_back():
    """Services own the transaction: they commit what they change (audit.viewed for a read) and roll
    back what they refuse (database.rolls_back_on_refusal); errors.init_app rolls back the rest."""
    found = [f"{path}:{line} calls .{name}(): a route calls a service, which commits or rolls back"
             for path in _files("blueprints") for path, line, name in commits(path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("layer", ["rules", "standards", "models", "permissions.py", "blueprints"])
def test_each_layer_imports_only_what_is_below_it(layer):
    found = layer_breaks(_files(layer))
    assert not found, "\n".join(found)


def test_the_checks_catch_what_they_are_for():
    """The checker itself, on planted source: relative, absolute and lazy imports, `from .. import x`,
    and a commit tucked into a helper."""
    rules_file = PACKAGE / "rules" / "planted.py"
    standards_file = PACKAGE / "standards" / "planted.py"
    model_file = PACKAGE / "models" / "planted.py"
    sessions_forms = PACKAGE / "blueprints" / "sessions" / "planted.py"
    shared = PACKAGE / "blueprints" / "planted_shared.py"
    sources = {
        rules_file: "from flask import request\nfrom ..models import Client\n\ndef f():\n    from .. import services\n",
        standards_file: "import flask_login\nimport metpwa.blueprints.today\n",
        model_file: "def g():\n    from ..services.audit import record\n",
        PACKAGE / "permissions.py": "def holds():\n    from .services.emergency import active_for\n",
        sessions_forms: "from ..library.forms import ExerciseForm\nfrom ..intake_step import render_step\n"
                        "from . import bp\nfrom ...forms import BaseForm\n",
        shared: "from .sessions import forms\n",
    }
    found = layer_breaks(list(sources), sources=sources)
    assert [line.split(": ")[0] for line in found] == [
        "metpwa/blueprints/planted_shared.py:1 imports metpwa.blueprints.sessions",
        "metpwa/blueprints/sessions/planted.py:1 imports metpwa.blueprints.library.forms",
        "metpwa/models/planted.py:2 imports metpwa.services.audit",
        "metpwa/permissions.py:2 imports metpwa.services.emergency",
        "metpwa/rules/planted.py:1 imports flask",
        "metpwa/rules/planted.py:2 imports metpwa.models",
        "metpwa/rules/planted.py:5 imports metpwa.services",
        "metpwa/standards/planted.py:1 imports flask_login",
        "metpwa/standards/planted.py:2 imports metpwa.blueprints.today",
    ], found
    assert "blueprint sessions imports blueprint library" in found[1]
    helper = PACKAGE / "blueprints" / "sessions" / "planted.py"
    assert commits(helper, "def done(db):\n    db.session.commit()\n\nx = conn.rollback\n") == [
        ("metpwa/blueprints/sessions/planted.py", 2, "commit")]
