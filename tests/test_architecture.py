"""Architecture contracts (style.md §1): the core is framework-free and imports point one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "shafaf"
FORBIDDEN_IN_CORE = (
    "django",
    "rest_framework",
    "celery",
    "requests",
    "httpx",
    "urllib.request",
    "socket",
    "shafaf.cli",
    "shafaf.web",
    "click",
    "rich",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_framework_network_or_cli() -> None:
    """No module under shafaf/core imports Django, a network client, the CLI or the web layer."""
    bad = []
    for path in sorted((SRC / "core").rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE):
                bad.append(f"{path.relative_to(SRC)} imports {name}")
    assert bad == []


def test_core_reads_no_clock() -> None:
    """The core never reads the wall clock: outputs are a function of the inputs alone."""
    bad = []
    for path in sorted((SRC / "core").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time("):
            if needle in text:
                bad.append(f"{path.relative_to(SRC)}: {needle}")
    assert bad == []


def test_importing_the_whole_core_loads_no_django() -> None:
    """Importing every core module in a fresh interpreter leaves django out of sys.modules."""
    modules = sorted(
        ".".join(p.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in (SRC / "core").rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module({m!r})\n" for m in modules)
        + (
            "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'click', 'rich', 'celery')]\n"
            "print(','.join(sorted(bad)))\n"
        )
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
