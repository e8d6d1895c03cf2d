"""House rules the main suite holds, beside the layer contracts that `make layers` checks
(docs/adr/0014-one-floor-per-layer.md):

- no Python module outside migrations passes 500 lines (a bigger one becomes a package that
  re-exports its public names);
- views are thin: no ORM aggregation (`annotate`, `aggregate`, `Count`, `Sum`…) and no
  statistics in a views module; those live in selectors and in pure `analytics/` functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "skillspassport"
LIMIT = 500
SKIPPED_DIRECTORIES = {".venv", "node_modules", "migrations", ".git", "build"}

AGGREGATES = {"Count", "Sum", "Avg", "Max", "Min", "StdDev", "Variance", "ArrayAgg", "StringAgg"}
AGGREGATING_METHODS = {"aggregate", "annotate", "alias"}


def _python_files() -> list[Path]:
    return [
        path
        for top in ("skillspassport", "config", "scripts", "benchmarks")
        for path in (ROOT / top).rglob("*.py")
        if not SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts)
    ]


def _views_modules() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and (path.name == "views.py" or path.parent.name == "views")
    ]


def aggregation_in(source: str) -> list[tuple[int, str]]:
    """(line, what) for every aggregation or statistics use in a module's source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            if "statistics" in names:
                found.append((node.lineno, "imports statistics"))
            found += [
                (node.lineno, f"imports {alias.name}")
                for alias in node.names
                if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("django.db.models")
                and alias.name in AGGREGATES
            ]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in AGGREGATING_METHODS:
                found.append((node.lineno, f".{func.attr}()"))
            if isinstance(func, ast.Name) and func.id in AGGREGATES:
                found.append((node.lineno, f"{func.id}()"))
            if isinstance(func, ast.Attribute) and func.attr in AGGREGATES:
                found.append((node.lineno, f"{func.attr}()"))
    return found


def test_no_module_passes_500_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _python_files()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not too_long, f"Split these into packages (more than {LIMIT} lines): {too_long}"


def test_views_do_not_aggregate() -> None:
    offences = {
        f"{path.relative_to(ROOT)}:{line}": what
        for path in _views_modules()
        for line, what in aggregation_in(path.read_text(encoding="utf-8"))
    }
    assert not offences, f"Move these to selectors or analytics: {offences}"


def test_the_check_finds_what_it_forbids() -> None:
    source = (
        "import statistics\n"
        "from django.db.models import Count\n"
        "def view(request):\n"
        "    qs = things.annotate(n=Count('x'))\n"
        "    total = qs.aggregate(models.Sum('y'))\n"
        "    return statistics.median([1])\n"
    )
    whats = [what for _line, what in aggregation_in(source)]
    assert whats.count("imports statistics") == 1
    assert "imports Count" in whats
    assert {".annotate()", "Count()", ".aggregate()", "Sum()"} <= set(whats)
    assert aggregation_in("def view(request):\n    return render(request, 'x.html')\n") == []


def test_the_overall_strand_code_people_filter_on_is_skills_own() -> None:
    from skillspassport.people.selectors import OVERALL as PEOPLE_OVERALL
    from skillspassport.skills.models import OVERALL

    assert PEOPLE_OVERALL == OVERALL
