"""The import rules of docs/architecture.md hold: each app imports only the floors below it,
and no two modules of an app import each other, directly or around a circle.

The rules are import-linter contracts in pyproject.toml (`[tool.importlinter]`); imports
inside functions count as much as those at the top of a module. The second and third tests
plant a violation in a copy of the code and check that the same contracts catch it.
"""
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "pyproject.toml"],
                          cwd=root, capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path) -> Path:
    """The apps and pyproject.toml, copied: lint-imports reads the copy's packages (the
    working directory comes first on its path)."""
    for package in _packages():
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "*.html"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_the_import_rules():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_an_import_that_runs_up_a_floor_breaks_them(tmp_path):
    root = _copy(tmp_path)
    # costs is below tasks: the ledger must not know the task framework.
    (root / "costs" / "upward.py").write_text("def f():\n    from tasks import models\n")
    result = _lint(root)
    assert result.returncode != 0
    assert "costs is not allowed to import tasks" in result.stdout, result.stdout


def test_a_circle_between_two_modules_of_an_app_breaks_them(tmp_path):
    root = _copy(tmp_path)
    (root / "core" / "circle_a.py").write_text("from core import circle_b\n")
    (root / "core" / "circle_b.py").write_text("def f():\n    from core import circle_a\n")
    result = _lint(root)
    assert result.returncode != 0
    assert "No cycles are allowed in core" in result.stdout, result.stdout
