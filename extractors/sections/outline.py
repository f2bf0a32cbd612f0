"""The outline: sections found by segmentation and which section each block belongs to.

Produced by extractors.sections.segment.segment(); read by the metadata, table, figure and reference
extractors so that each record knows its section.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from models.report import Section


@dataclass
class Outline:
    sections: list[Section] = field(default_factory=list)
    # Document.blocks index → number of the innermost section it stands in (None: before the
    # first heading, e.g. the title block). Heading paragraphs map to their own section.
    block_section: dict[int, str | None] = field(default_factory=dict)
    # Blocks that are headings (so that figure extraction can skip or treat them apart).
    heading_blocks: set[int] = field(default_factory=set)
    # First block of the body (after header block, title and preamble); blocks before it are
    # the front matter that metadata extraction reads.
    body_start: int = 0
    # First block of the closing matter (signature block, "Nơi nhận"); len(blocks) if none.
    body_end: int | None = None

    def section_of(self, block_index: int) -> str | None:
        return self.block_section.get(block_index)
