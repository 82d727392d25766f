"""The house rules of the code base (issue 16): where SQL may live, no pages/ folder, no import cycles. Each rule is
measured on the files as they are, so breaking one fails here. (A limit on module length was dropped: it split
modules by size rather than meaning and bred code packed against the formatter.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = [p for d in ("analysis", "ui", "views") for p in sorted((ROOT / d).rglob("*.py"))] + [ROOT / "app.py"]
SQL = re.compile(
    r"\.execute(many|script)?\(|\bsqlite3\b|\.conn\b|\bSELECT\s+[\w*(]|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|"
    r"\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bCREATE\s+(TABLE|INDEX|VIRTUAL)\b"
)


def rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


def sql_files() -> set[str]:
    return {rel(p) for p in CODE if "analysis/store/" not in rel(p) and SQL.search(p.read_text())}


# Files that still speak SQL outside analysis/store/, to be emptied by issue 16. The test fails when a
# file not listed here gains SQL, and when a listed file loses it (so the list only shrinks).
SQL_NOT_YET_MOVED: set[str] = set()


def test_sql_lives_only_in_the_store_package() -> None:
    found = sql_files()
    assert found - SQL_NOT_YET_MOVED == set(), f"SQL outside analysis/store/: {sorted(found - SQL_NOT_YET_MOVED)}"
    assert SQL_NOT_YET_MOVED - found == set(), f"no SQL left in {sorted(SQL_NOT_YET_MOVED - found)}: drop them"


def test_the_sql_rule_sees_sql() -> None:
    assert SQL.search('store.conn.execute("SELECT id FROM articles")')
    assert SQL.search("UPDATE articles SET title = ?")
    assert not SQL.search("Select the outlets to compare, then update the chart.")


def test_no_pages_folder_beside_app() -> None:
    # Streamlit would turn a pages/ folder into a second, unrouted navigation (README: why views/).
    assert not (ROOT / "pages").exists()


def module_name(p: Path) -> str:
    parts = list(p.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(p: Path, known: set[str]) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(p.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        out |= {n for n in names if n in known}
    return out


def test_no_import_cycles() -> None:
    mods = {module_name(p): p for p in CODE if module_name(p).startswith(("analysis", "ui"))}
    graph = {m: imports_of(p, set(mods)) - {m} for m, p in mods.items()}
    # a package's __init__ re-exporting its own modules is not a cycle
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (cycle := visit(d)):
                return cycle
        state[m] = 2
        stack.pop()
        return None

    for m in sorted(graph):
        if m not in state and (cycle := visit(m)):
            raise AssertionError("import cycle: " + " -> ".join(cycle))


def test_tests_mirror_the_layout() -> None:
    for package in ("store", "ingest", "collect", "enrich", "pipeline", "explore", "text"):
        assert (ROOT / "analysis" / package / "__init__.py").exists()
        assert list((ROOT / "tests" / package).glob("test_*.py")), f"no tests/{package}/"


# Layers point one way (README, "Architecture"): each layer imports only the layers listed for it (and the
# shared modules beside them: analysis.config, analysis.errors). The read side is views -> ui -> explore ->
# store; the write side is cli -> pipeline -> enrich and store; ingest and enrich are pure: they take and return
# plain data, so the store never runs model code and model code never reads the store.
LAYERS: dict[str, set[str]] = {
    "app": {"ui"},
    "views": {"ui", "explore"},
    "ui": {"explore", "store"},
    "explore": {"store"},
    "cli": {"pipeline", "explore", "ingest", "collect", "store"},
    "pipeline": {"enrich", "store", "ingest", "collect"},
    "collect": {"ingest", "store"},
    "store": {"ingest"},
    "enrich": {"ingest"},
    "ingest": set(),
    "shared": set(),
}
SHARED = {
    "analysis",
    "analysis.config",
    "analysis.errors",
    "analysis.estimate",
    "analysis.lifetime",
    "analysis.periods",
    "analysis.terms",
    "analysis.text",  # sentences, cleaning and sentence centrality: plain text in, plain text out
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if module in SHARED or ".".join(parts[:2]) in SHARED:
        return "shared"
    if parts[0] in ("ui", "views", "app"):
        return parts[0]
    if parts[1] == "__main__" or parts[1].startswith("cli"):
        return "cli"
    return parts[1]


def layer_breaches() -> set[str]:
    mods = {module_name(p): p for p in CODE}
    out = set()
    for m, p in mods.items():
        for d in imports_of(p, set(mods)) | {n for n in _all_imports(p) if n.split(".")[0] in ("analysis", "ui")}:
            if d in mods or d.rsplit(".", 1)[0] in mods:
                target = layer_of(d if d in mods else d.rsplit(".", 1)[0])
                if target not in (layer_of(m), "shared") and target not in LAYERS[layer_of(m)]:
                    out.add(f"{rel(p)} -> {target}")
    return out


def _all_imports(p: Path) -> set[str]:
    """Every module named by an import in the file, at any depth (imports inside functions count too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(p.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_layers_point_one_way() -> None:
    found = layer_breaches()
    assert found == set(), f"imports against the layers: {sorted(found)}"


def test_the_layer_rule_sees_a_breach(tmp_path: Path) -> None:
    assert layer_of("analysis.store.fits") == "store"
    assert layer_of("analysis.cli.editing") == "cli"
    assert layer_of("analysis.config") == "shared"
    assert layer_of("analysis.text.sentences") == "shared"
    assert "enrich" not in LAYERS["store"] and "store" not in LAYERS["enrich"]
    assert "pipeline" not in LAYERS["explore"] and "explore" not in LAYERS["pipeline"]
    code = tmp_path / "m.py"
    code.write_text("def f():\n    from analysis.enrich.themes import build_themes\n")
    assert "analysis.enrich.themes" in _all_imports(code)
