"""Imports follow the data flow: a package imports only from the stages below it, never back up
(docs/architecture.md draws the layers). Parsed from the source, so lazy imports count too."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# rank: a group may import from groups of strictly lower rank (and from itself)
LAYERS: dict[str, int] = {
    "models": 0,
    "extractors": 0,  # the package itself: only __version__
    "extractors.text": 1,
    "extractors.readers": 2,
    "extractors.sections": 3,
    "extractors.front": 4,
    "extractors.tables": 4,
    "extractors.references": 4,
    "extractors.figures": 5,
    "checks": 5,
    "extractors.report": 6,
    "extractors.spacy_figures": 6,
    "outputs": 7,
    "review": 8,
    "pipeline": 9,
}
PACKAGES = ("models", "extractors", "checks", "outputs", "review", "pipeline")


def group(module: str) -> str | None:
    for g in sorted(LAYERS, key=len, reverse=True):
        if module == g or module.startswith(g + "."):
            return g
    return None


def imports_of(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def test_every_module_belongs_to_a_layer():
    stray = [str(p.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
             if "migrations" not in p.parts and group(".".join(p.relative_to(ROOT).with_suffix("").parts)
                                                      .removesuffix(".__init__")) is None]
    assert stray == []


def test_no_import_goes_back_up_the_pipeline():
    wrong = []
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            mod = ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            g = group(mod)
            if g is None:
                continue
            for imp in imports_of(p):
                h = group(imp)
                if h is not None and h != g and LAYERS[h] >= LAYERS[g]:
                    wrong.append(f"{mod} imports {imp} ({g} → {h})")
    assert wrong == []


def test_only_the_pipeline_imports_prefect_and_only_the_spacy_component_imports_spacy():
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            mod = ".".join(p.relative_to(ROOT).with_suffix("").parts)
            tops = {i.split(".")[0] for i in imports_of(p)}
            if "prefect" in tops or "prefect_dask" in tops:
                assert mod.startswith("pipeline."), mod
            if "spacy" in tops:
                assert mod == "extractors.spacy_figures", mod
