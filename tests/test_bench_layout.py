"""bench/'s layout holds: a harness every scenario shares, scenarios that import no other
scenario, no import circle, and nothing imported from tests/ (testsupport/ is shared)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module path `path` imports, and each name imported from one (a submodule)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _bench_graph() -> dict[str, set[str]]:
    modules = {_module_name(path): _imports(path) for path in BENCH.rglob("*.py")}
    return {name: {dep for dep in deps if dep in modules and dep != name}
            for name, deps in modules.items()}


def _package(module: str) -> str | None:
    """The bench/ package a module belongs to: "harness", a scenario, or None (the top)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (BENCH / parts[1]).is_dir() else None


def test_bench_and_testsupport_import_nothing_from_tests():
    offenders = [f"{path.relative_to(ROOT)}: {name}"
                 for folder in (BENCH, ROOT / "testsupport") for path in folder.rglob("*.py")
                 for name in _imports(path) if name.split(".")[0] == "tests"]
    assert offenders == []


def test_bench_scenarios_import_only_the_harness():
    offenders = []
    for module, deps in _bench_graph().items():
        package = _package(module)
        for dep in deps:
            target = _package(dep)
            if package is None or target == package or target == "harness":
                continue  # the top (run.py, report.py) may import every scenario
            offenders.append(f"{module} -> {dep}")
    assert offenders == []


def test_bench_harness_imports_no_scenario_and_not_the_top():
    offenders = [f"{module} -> {dep}" for module, deps in _bench_graph().items()
                 if _package(module) == "harness" for dep in deps
                 if _package(dep) != "harness" and dep != "bench"]
    assert offenders == []


def test_bench_has_no_import_circle():
    graph, state, circles = _bench_graph(), {}, []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for dep in sorted(graph[module]):
            if state.get(dep) == "open":
                circles.append(" -> ".join(path[path.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, path + [dep])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
