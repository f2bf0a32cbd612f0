"""Section segmentation: find the headings of a report's body and nest them into an outline.

Headings are numbered paragraphs (see extractors.sections.headings: parts, "A.", Roman, Arabic, dotted,
letters; typed or Word's automatic numbering) and short unnumbered paragraphs in capitals.
A numbered paragraph is a heading or a list item; what decides, in order:
1. a bold title right after the label (a heading paragraph or a run-in heading) → heading;
2. the document sets this kind of label in bold elsewhere and not here → a list item;
3. otherwise it must read like a title: short, not ending like a sentence, or a short run-in
   title closed by ':' (Roman and dotted numbers are taken more readily than '1.' or 'a)');
4. Arabic and letter items are judged as a group (the siblings under one parent): a group
   that mostly reads like sentences, or a run of short items with nothing between them, is a
   list, not headings.
Numbers are kept as written (skips and repeats stay; a repeated number gives a repeated
section number); in a scanned document a Roman numeral that OCR misread ("HI.", or "II." where
"III." is due), or a list letter it confused with another ("e)" where "c)" is due), is read as
the one the sequence expects. Parts ("PHẦN I", "PHẦN THỨ HAI", "A.")
prefix their sections' numbers ("I.II.1"), so Roman numbering may restart in each part.
Text inside data tables is not segmented; the front matter (header block, title) and the closing
matter (signature block and what follows it) are not part of any section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.sections.headings import HeadingView, Label, heading_view, ocr_roman_readings, parse_label, to_roman
from extractors.sections.outline import Outline
from extractors.sections.regions import find_closing, find_front, is_signature_line
from extractors.text.vntext import is_upper_text, n_words, squash
from models.document import Document, Format, Paragraph, Provenance, Table
from models.report import Section

# how long a title may be (words) to pass as a heading without bold, per kind
_MAX_TITLE = {"annex": 60, "part": 60, "upper": 40, "roman": 40, "dotted": 40, "arabic": 25, "letter": 20, "caps": 20}
_MAX_RUN_IN = {"annex": 30, "part": 30, "upper": 30, "roman": 30, "dotted": 30, "arabic": 15, "letter": 8, "caps": 0}


@dataclass
class _Cand:
    block: int
    label: Label | None  # None: an unnumbered heading in capitals
    view: HeadingView
    kind: str
    accepted: bool = False
    rank: int = 0
    number: str = ""
    level: int = 1
    parent: int | None = None  # index into the accepted list
    part_root: bool = False
    followed_by_item: bool = False  # the next paragraph is an item of the same kind
    title_blocks: list[int] = field(default_factory=list)  # a part's title lines


def is_ocr(doc: Document) -> bool:
    return bool(doc.source.ocr) or doc.source.format == Format.SCANNED_PDF


_STRONG = ("part", "annex", "upper", "roman", "dotted")
_LETTERS = "abcdđefghiklmnopqrstuvxy"
_I_LOOKALIKES = str.maketrans({"L": "I", "T": "I", "J": "I", "|": "I", "!": "I"})
# letters Tesseract reads for one another in a list label ("c)" as "e)", "d)" as "đ)")
_LETTER_SLIPS = {"e": "c", "c": "e", "o": "ca", "a": "o", "d": "đ", "đ": "d", "b": "h", "h": "b",
                 "l": "i", "i": "l", "q": "g", "g": "q"}


def _title_like(c: _Cand) -> bool:
    v = c.view
    if c.kind in ("part", "annex"):
        return True
    if v.run_in:
        return v.colon_run_in and 0 < v.title_words <= _MAX_RUN_IN[c.kind] or (not v.colon_run_in)
    if not v.words:
        return False
    if c.kind in _STRONG:
        # Roman and dotted numbers rarely number list items: only a long sentence is refused
        return v.words <= _MAX_TITLE[c.kind] or not v.ends_sentence and v.words <= 60
    if v.ends_sentence:
        return False
    if v.words <= _MAX_TITLE[c.kind]:
        return True
    # a longer line that is not a sentence still heads what follows it, if a body follows
    return v.words <= 40 and not c.followed_by_item


def _candidates(doc: Document, start: int, end: int, ocr: bool) -> list[_Cand]:
    blocks = doc.blocks
    out: list[_Cand] = []
    consumed: set[int] = set()
    for i in range(start, end):
        b = blocks[i]
        if not isinstance(b, Paragraph) or i in consumed:
            continue
        text = squash(b.full_text)
        if not text or is_signature_line(text):
            continue
        lab = parse_label(b.text, b.list_label, ocr)
        view = heading_view(b, lab)
        if lab is not None:
            c = _Cand(i, lab, view, lab.kind)
            if lab.kind in ("part", "annex") and not lab.rest.strip(" :.-–"):
                # "PHẦN I" on its own line: the title is the next lines in capitals or bold
                j = i + 1
                while j < end and len(c.title_blocks) < 3 and isinstance(blocks[j], Paragraph):
                    nxt = blocks[j]
                    nt = squash(nxt.full_text)
                    if not nt or parse_label(nxt.text, nxt.list_label, ocr) is not None or n_words(nt) > 40 \
                            or not (is_upper_text(nt) or nxt.bold) or nt.startswith("("):
                        break
                    c.title_blocks.append(j)
                    consumed.add(j)
                    j += 1
            j = i + 1
            while j < end and isinstance(blocks[j], Paragraph) and not squash(blocks[j].full_text):
                j += 1
            if j < end and isinstance(blocks[j], Paragraph):
                nl = parse_label(blocks[j].text, blocks[j].list_label, ocr)
                c.followed_by_item = nl is not None and nl.kind == lab.kind
            if ocr and view.ends_sentence and text.endswith(".") and view.words <= 15 and not c.followed_by_item:
                # a full stop closing a short numbered line with body text under it: in a scan,
                # as often a speck as a sentence's end
                c.view = replace(view, ends_sentence=False)
            out.append(c)
            continue
        # an unnumbered heading in capitals: short, standalone, not a sentence
        if view.upper and 2 <= view.words <= _MAX_TITLE["caps"] and not view.ends_sentence \
                and not text.startswith(("-", "+", "•", "*", "(")):
            out.append(_Cand(i, None, view, "caps"))
    return out


def _ones_as_roman(cands: list[_Cand], doc: Document) -> None:
    """In a scan, a heading in capitals numbered '1.', '11.' or 'L.' where the Roman sequence has
    a numeral missing that it may be misread from is that numeral ("1: ĐẶC ĐIỂM TÌNH HÌNH",
    "11. KẾT QUẢ", "L. QUY MÔ" before "II. …")."""
    for i, c in enumerate(cands):
        lab = c.label
        if c.kind == "caps":  # "TH PHƯƠNG HƯỚNG …": the numeral read with its stop lost
            head, _, rest = c.view.text.partition(" ")
            if not rest or not re.fullmatch(r"[IVXTLHJl1|!]{1,4}[.:]?", head):
                continue
            lab = Label("arabic", (head.rstrip(".:"),), head, rest, None)
        elif c.kind not in ("arabic", "upper") or lab is None or not c.view.upper:
            continue
        num = lab.parts[0].upper().translate(_I_LOOKALIKES)
        if set(num) - set("IVXH1"):
            continue
        prev = next((x.label.value or 0 for x in reversed(cands[:i]) if x.kind == "roman"), 0)
        v = prev + 1
        nxt = next((x for x in cands[i + 1:] if x.kind == "roman"), None)
        fits = prev >= 1 if nxt is None else (nxt.label.value == v + 1 or nxt.label.ocr_guess)
        if v not in ocr_roman_readings(num) or not fits:
            continue
        c.label = Label("roman", (to_roman(v),), lab.raw, lab.rest, v)
        if c.kind == "caps":
            c.view = heading_view(doc.blocks[c.block], c.label)
        c.kind = "roman"


def _decide(cands: list[_Cand], doc: Document, has_bold: bool) -> None:
    """Mark each candidate accepted or not (see the module docstring)."""
    # bold labels of a kind count among siblings, under the same higher heading: "1. Ưu điểm"
    # set plain under "III." is a heading though "1." is bold under "II.", and so is a plain
    # "2.1." under "2." though "1.1." is bold under "1."
    bold_kinds: dict[tuple[int, str], int] = {}
    stretch = {}
    for i, c in enumerate(cands):
        rank = c.label.rank if c.label else 10
        stretch[id(c)] = next((j for j in range(i - 1, -1, -1)
                               if (cands[j].label.rank if cands[j].label else 10) < rank), -1)
        if c.view.bold_title:
            key = (stretch[id(c)], c.kind)
            bold_kinds[key] = bold_kinds.get(key, 0) + 1
    for c in cands:
        v = c.view
        if c.kind == "part":
            c.accepted = True
        elif c.kind == "annex":
            # "Phụ lục 1" heads a section only in a document made of appendices
            c.accepted = not any(x.kind in ("roman", "arabic", "dotted") for x in cands)
        elif c.kind == "caps":
            # in a document with bold, a heading in capitals is bold too
            c.accepted = (v.all_bold or not has_bold) and not v.run_in
        elif v.bold_title:
            c.accepted = True
        elif has_bold and bold_kinds.get((stretch[id(c)], c.kind)):
            c.accepted = False
        else:
            c.accepted = _title_like(c)
    _group_rules(cands, doc)
    _caps_rules(cands, doc)


def _group_rules(cands: list[_Cand], doc: Document) -> None:
    """Arabic and letter items without bold are judged with their siblings."""
    for kind, higher in (("arabic", 20), ("letter", 30)):
        groups: list[list[_Cand]] = []
        cur: list[_Cand] = []
        for c in cands:
            if c.kind == kind:
                cur.append(c)
            elif c.accepted and (c.label.rank if c.label else 10) < higher:
                if cur:
                    groups.append(cur)
                cur = []
        if cur:
            groups.append(cur)
        for g in groups:
            plain = [c for c in g if not c.view.bold_title]
            if not plain:
                continue
            ok = [c for c in plain if c.accepted]
            if len(ok) * 2 <= len(plain) and len(plain) >= 2:
                for c in plain:
                    c.accepted = False
                continue
            if len(ok) * 2 > len(plain) and kind == "letter":
                for c in plain:
                    c.accepted = True  # siblings share a level: the few long ones too
            # a run of 3+ short plain items with nothing between them is a list
            run: list[_Cand] = []
            for c in plain + [None]:  # type: ignore[list-item]
                if c is not None and c.accepted and not c.view.run_in and (
                        not run or c.block == run[-1].block + 1):
                    run.append(c)
                    continue
                if len(run) >= 3:
                    for r in run:
                        r.accepted = False
                run = [c] if c is not None and c.accepted and not c.view.run_in else []


def _caps_on_top(cands: list[_Cand], doc: Document) -> bool:
    """Unnumbered headings in capitals are the top level of a document whose numbered headings
    are only Arabic, dotted or letters ("KẾT QUẢ ĐẠT ĐƯỢC", then "1.", "2.", then "TỒN TẠI"):
    there are several, the first stands before the first numbered heading, and there is no
    Roman or part numbering they would compete with."""
    if any(c.accepted and c.kind in ("roman", "upper", "part", "annex") for c in cands):
        return False
    numbered = [c.block for c in cands if c.accepted and c.kind in ("arabic", "dotted", "letter")]
    caps = [c for c in cands if c.kind == "caps" and c.accepted and not _caption(c, doc)]
    return bool(numbered) and len(caps) >= 2 and caps[0].block < min(numbered)


def _caption(c: _Cand, doc: Document) -> bool:
    """A line in capitals right above a table names the table."""
    nxt = c.block + 1
    return nxt < len(doc.blocks) and isinstance(doc.blocks[nxt], Table)


def _caps_rules(cands: list[_Cand], doc: Document) -> None:
    """Unnumbered headings in capitals count in a document without numbered headings, or as
    the top level over Arabic-numbered ones (see _caps_on_top); elsewhere such lines are
    captions (a chart's title, a table's name). Each must have something under it, and a run of
    several capitals lines is a banner, not headings."""
    blocks = doc.blocks
    numbered = any(c.accepted and c.kind in ("roman", "arabic", "dotted", "upper") for c in cands)
    on_top = numbered and _caps_on_top(cands, doc)
    for c in cands:
        if c.kind != "caps" or not c.accepted:
            continue
        if numbered and not on_top or on_top and _caption(c, doc):
            c.accepted = False
            continue
        nxt = c.block + 1
        if nxt >= len(blocks):
            c.accepted = False
            continue
        nb = blocks[nxt]
        if isinstance(nb, Paragraph) and is_upper_text(nb.full_text) and parse_label(nb.text, nb.list_label) is None:
            c.accepted = False


def _rank(c: _Cand, has_roman_after: bool) -> int:
    if c.label is not None:
        return c.label.rank
    return 5 if has_roman_after else 10


def _build(acc: list[_Cand], ocr: bool) -> None:
    """Nest the accepted headings and give each its number and level."""
    # parts that hold no Roman sections ("PHẦN I- ĐẶC ĐIỂM", then "1/") are the top level
    parts_on_top = not any(a.kind in ("roman", "upper") for a in acc)
    stack: list[int] = []
    last_value: dict[tuple[int | None, str], int] = {}  # (parent, kind) → last sibling value
    synth: dict[int | None, int] = {}
    for idx, c in enumerate(acc):
        later_roman = any(a.kind in ("roman",) for a in acc[idx + 1:])
        c.rank = _rank(c, later_roman)
        while stack and acc[stack[-1]].rank >= c.rank:
            stack.pop()
        parent = stack[-1] if stack else None
        c.parent = parent

        def path_below(limit: int) -> str:
            for s in reversed(stack):
                if acc[s].rank < limit:
                    return acc[s].number
            return ""

        lab = c.label
        if lab is None or (lab.kind == "part" and not lab.parts[0]):
            synth[parent] = synth.get(parent, 0) + 1
            k = synth[parent]
            own = f"P{k}" if c.rank <= 5 else to_roman(k)
            base = acc[parent].number if parent is not None else ""
        elif lab.kind in ("part", "upper"):
            own, base = lab.parts[0], ""
        elif lab.kind == "annex":
            own, base = lab.parts[0], path_below(10)
        elif lab.kind == "roman":
            key = (parent, "roman")
            value = lab.value
            if ocr:
                expected = last_value.get(key, 0) + 1
                readings = ocr_roman_readings(lab.parts[0]) if (lab.ocr_guess or value != expected) else set()
                if expected in readings:
                    value = expected
                elif value is None:
                    value = min(readings) if readings else expected
            last_value[key] = value or 0
            own = to_roman(value) if value else lab.parts[0]
            base = path_below(10)
        elif lab.kind == "dotted":
            own, base = ".".join(lab.parts), path_below(20)
        elif lab.kind == "arabic":
            own, base = lab.parts[0], path_below(20)
        else:  # letter
            own, base = lab.parts[0], path_below(30)
            if ocr:  # "e)" read where "c)" is due: a letter OCR confuses with the expected one
                key = (parent, "letter")
                expected = _LETTERS[last_value.get(key, 0)] if last_value.get(key, 0) < len(_LETTERS) else ""
                if own != expected and expected in _LETTER_SLIPS.get(own, ""):
                    own = expected
                last_value[key] = _LETTERS.find(own) + 1
        c.number = f"{base}.{own}" if base else own
        roots = [acc[s] for s in stack]
        in_part = any(r.rank <= 5 for r in roots) and not parts_on_top
        c.part_root = c.rank <= 5 and not parts_on_top
        c.level = 0 if c.part_root else len(c.number.split(".")) - (1 if in_part else 0)
        stack.append(idx)


def segment(doc: Document) -> Outline:
    blocks = doc.blocks
    n = len(blocks)
    ocr = is_ocr(doc)
    front = find_front(doc, ocr)
    closing = find_closing(doc, front.end)
    body_end = closing if closing is not None else n
    has_bold = any(r.bold and r.text.strip()
                   for b in blocks[front.end:body_end] if isinstance(b, Paragraph) for r in b.runs)
    cands = _candidates(doc, front.end, body_end, ocr)
    if ocr:
        _ones_as_roman(cands, doc)
    _decide(cands, doc, has_bold)
    acc = [c for c in cands if c.accepted]
    _build(acc, ocr)

    heading_blocks: set[int] = set()
    for c in acc:
        heading_blocks.add(c.block)
        heading_blocks.update(c.title_blocks)

    # own content of each heading: run-in text, paragraphs and tables up to the next heading
    sections: list[Section] = []
    has_child = {c.parent for c in acc if c.parent is not None}
    block_section: dict[int, str | None] = {i: None for i in range(n)}
    for k, c in enumerate(acc):
        stop = acc[k + 1].block if k + 1 < len(acc) else body_end
        texts = [c.view.body] if c.view.body else []
        has_table = False
        for j in range(c.block, stop):
            block_section[j] = c.number
            if j == c.block or j in c.title_blocks:
                continue
            b = blocks[j]
            if isinstance(b, Table):
                has_table = has_table or any(cell.text.strip() for cell in b.cells)
            else:
                t = squash(b.full_text)
                if t:
                    texts.append(t)
        title = c.view.title
        if c.kind in ("part", "annex"):
            if c.title_blocks:
                title = " ".join(squash(blocks[j].full_text) for j in c.title_blocks).rstrip(" :.;,")
            elif not title:
                title = c.label.raw if c.label else c.view.text
        elif c.kind == "caps":
            title = c.view.text.rstrip(" :.;")
        p = blocks[c.block]
        loc = p.provenance.model_copy() if isinstance(p, Paragraph) else Provenance()
        if loc.block is None:
            loc.block = c.block
        sections.append(Section(
            number=c.number,
            title=title,
            level=c.level,
            text="\n".join(texts),
            empty=not texts and not has_table and k not in has_child,
            label=c.label.raw if c.label else None,
            location=loc,
        ))
    body_start = acc[0].block if acc else min(front.end, body_end)
    return Outline(
        sections=sections,
        block_section=block_section,
        heading_blocks=heading_blocks,
        body_start=body_start,
        body_end=body_end,
    )
