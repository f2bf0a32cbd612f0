"""What every check reads: the Report plus cached views of it (sentences, tables, section tree).

Built once per `run_checks`; all views are derived from the Report and never change it.
Prose comes from Section.text (body text under each heading). When no section carries text
(segmentation not available), the sentences of the figures stand in for it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from checks.indicators import section_unit
from checks.tables_view import TableView
from checks.text import Mention, fold, mentions, split_sentences
from models.document import Provenance
from models.report import Report, Section


@dataclass
class Sentence:
    text: str
    section: str | None
    order: int  # position in the report
    location: Provenance = field(default_factory=Provenance)

    @cached_property
    def mentions(self) -> list[Mention]:
        return mentions(self.text)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)


@dataclass
class SectionNode:
    index: int
    section: Section
    parent: int | None
    children: list[int] = field(default_factory=list)


class Ctx:
    def __init__(self, report: Report):
        self.report = report

    # --- prose -----------------------------------------------------------------------------------
    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        for s in self.report.sections:
            for off, text in split_sentences(s.text or ""):
                out.append(Sentence(text, s.number, len(out), s.location))
        if not any((s.text or "").strip() for s in self.report.sections):
            seen: set[str] = set()
            for f in self.report.figures:
                key = fold(f.sentence)
                if f.sentence and key not in seen:
                    seen.add(key)
                    out.append(Sentence(f.sentence, f.section, len(out), f.location))
        return out

    def locate(self, sentence: Sentence, raw: str | None = None) -> Provenance:
        """The provenance of a sentence (of the figure `raw` in it when the extractor found it)."""
        key = sentence.folded
        for f in self.report.figures:
            if f.sentence and (fold(f.sentence) in key or key in fold(f.sentence)):
                if raw is None or f.raw.rstrip("%").strip() == raw:
                    return f.location
        return sentence.location

    # --- tables ----------------------------------------------------------------------------------
    @cached_property
    def tables(self) -> list[TableView]:
        return [TableView(t, ocr=self.report.source.ocr) for t in self.report.tables]

    # --- sections --------------------------------------------------------------------------------
    @cached_property
    def tree(self) -> list[SectionNode]:
        """Sections with their parents by level, in document order."""
        nodes: list[SectionNode] = []
        stack: list[int] = []
        for i, s in enumerate(self.report.sections):
            while stack and self.report.sections[stack[-1]].level >= s.level:
                stack.pop()
            parent = stack[-1] if stack else None
            nodes.append(SectionNode(i, s, parent))
            if parent is not None:
                nodes[parent].children.append(i)
            stack.append(i)
        return nodes

    def subtree(self, i: int) -> list[int]:
        out = []
        todo = list(self.tree[i].children)
        while todo:
            j = todo.pop(0)
            out.append(j)
            todo.extend(self.tree[j].children)
        return out

    @cached_property
    def table_units(self) -> dict[str, str]:
        """Table id → the unit its section declares ("Đơn vị tính: triệu đồng"), where one does."""
        by_number = {}
        for s in self.report.sections:
            if s.number and (u := section_unit(s.text)):
                by_number.setdefault(s.number, u)
        return {t.id: by_number[t.section] for t in self.report.tables
                if t.section in by_number}

    @cached_property
    def sections_with_tables(self) -> set[str]:
        return {t.section for t in self.report.tables if t.section}
