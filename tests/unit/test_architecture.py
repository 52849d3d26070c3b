"""The shape of lms/ (docs/architecture.md): feature packages over core/ and models/,
arrows pointing down, small modules, and the request kept out of domain code."""

import ast
from pathlib import Path

import pytest

from lms import FEATURES

LMS = Path(__file__).resolve().parents[2] / "lms"
MAX_LINES = 400
REQUEST_NAMES = {"request", "g", "session", "url_for", "abort", "flash", "current_user"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in LMS.rglob("*.py"):
        parts = path.relative_to(LMS.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    """Module-level imports only: an import inside a function runs later, on call."""
    tree = ast.parse(path.read_text())
    return [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]


def _targets(node) -> set[str]:
    """The lms modules an import statement loads."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name.startswith("lms")}
    if not (node.module or "").startswith("lms"):
        return set()
    return {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
            for a in node.names}


GRAPH = {name: set().union(*(_targets(n) for n in _imports(path)), set()) - {name}
         for name, path in MODULES.items()}


def _is_view(name: str) -> bool:
    """Pages and commands: the top of the house (core.cli is a helper they share)."""
    return ".views" in name + "." or (name.endswith(".cli") and name != "lms.core.cli")


def test_no_module_is_over_400_lines():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_no_import_cycles():
    """Tarjan's strongly connected components over module-level imports."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH.get(node, ()):
            if nxt not in MODULES:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in sorted(MODULES):
        if name not in index:
            visit(name)
    assert not cycles, cycles


def test_core_and_models_import_no_feature():
    up = {name: sorted(t for t in targets if not t.startswith(("lms.core", "lms.models")))
          for name, targets in GRAPH.items()
          if name.startswith(("lms.core", "lms.models"))}
    assert not {k: v for k, v in up.items() if v}


def test_nobody_imports_another_features_views():
    wrong = {}
    for name, targets in GRAPH.items():
        own = ".".join(name.split(".")[:2])
        bad = [t for t in targets if _is_view(t) and not t.startswith(own + ".")]
        if bad and name != "lms.cli":
            wrong[name] = bad
    assert not wrong, wrong


def test_domain_modules_never_touch_the_request():
    """Only views, blueprints (a package's __init__), the CLI and core's web layer
    (web, i18n, forms, layout) may read the request or answer it."""
    allowed = {"lms.core.web", "lms.core.i18n", "lms.core.forms", "lms.core.layout"}
    wrong = {}
    for name, path in MODULES.items():
        if _is_view(name) or path.name == "__init__.py" or name in allowed:
            continue
        used = {a.asname or a.name for node in _imports(path)
                if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login")
                for a in node.names} & REQUEST_NAMES
        if used:
            wrong[name] = sorted(used)
    assert not wrong, wrong


@pytest.mark.parametrize("feature", FEATURES)
def test_every_feature_has_the_same_rooms(feature):
    package = LMS / feature
    init = (package / "__init__.py").read_text()
    assert "bp = Blueprint(" in init
    # Signing in and checking a certificate are public.
    assert "@bp.before_request" in init or feature in ("auth", "verification")
    assert (package / "views.py").exists() or (package / "views" / "__init__.py").exists()
