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

from extractors.sections.headings import RANK, HeadingView, Label, heading_view, ocr_roman_readings, parse_label, to_roman
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
    guesses: tuple[str, ...] = ()  # a label repaired from OCR junk: what it may be, for the sequence to decide


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
        guesses: tuple[str, ...] = ()
        if lab is None and ocr and not b.list_label:
            lab, guesses = _repair_label(squash(b.text))
        view = heading_view(b, lab)
        if lab is not None:
            c = _Cand(i, lab, view, lab.kind, guesses=guesses)
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


# OCR misreadings of a label's digit or letter: what the character read may have been
_DIGIT_LOOKALIKES = {"A": "4", "S": "5", "s": "5", "Z": "2", "z": "2", "B": "8", "G": "6", "b": "6",
                     "g": "9", "q": "9", "l": "1", "I": "1", "|": "1", "T": "7", "O": "0", "o": "0"}
_LETTER_LOOKALIKES = {"©": "c", "¢": "c", "C": "c", "G": "c", "(": "c", "€": "c", "4": "a", "@": "a",
                      "6": "b", "8": "b", "D": "d", "E": "e", "0": "o", "O": "o"}
_JUNK_HEAD = re.compile(r"^(?:[^\w\s(]|_){1,3}\s*(?=\S)")
_COMMA_DOTTED = re.compile(r"^(\d{1,2}),\s*(\d{1,2})[.,]?\s+(?=\S)")
_COMMA_ARABIC = re.compile(r"^(\d{1,2}),\s+(?=[^\W\d_])")
_GUESS_LABEL = re.compile(r"^(?P<c>\S)(?P<sep>[.)])\s*(?=\S)")


def _repair_label(text: str) -> tuple[Label | None, tuple[str, ...]]:
    """In a scan, a heading label spoiled by specks or misread: junk before it ("_©) Ủy thác",
    ".A. Tham gia", "_ 2, Cấp"), a comma for its full stop ("2, 1. Tiêm chủng"), a digit or a
    letter read as a look-alike ("A." for "4.", "©)" for "c)"). The label as it may have been
    and, when its number is a guess, the numbers it may stand for ('4',); the sequence of its
    siblings decides (`_settle_guesses`): a repaired label with no sibling to confirm it is
    dropped."""
    m = _JUNK_HEAD.match(text)
    for k in range(len(m.group().rstrip()) if m else 0, -1, -1):  # the longest junk first
        if k and text[k - 1] in _LETTER_LOOKALIKES and text[k:k + 1] == ")":
            continue  # "©)": the label itself
        lab, guesses = _repair_at(text, text[k:].lstrip())
        if lab is not None:
            return lab, guesses
    return None, ()


def _repair_at(text: str, t: str) -> tuple[Label | None, tuple[str, ...]]:
    if not t or t == text and not (_COMMA_DOTTED.match(t) or _COMMA_ARABIC.match(t) or _GUESS_LABEL.match(t)):
        return None, ()
    d = _COMMA_DOTTED.match(t)
    if d:
        t = f"{d.group(1)}.{d.group(2)}. " + t[d.end():]
    else:
        a = _COMMA_ARABIC.match(t)
        if a:
            t = f"{a.group(1)}. " + t[a.end():]
    lab = parse_label(t, None, True)
    if lab is not None and lab.kind in ("arabic", "dotted", "letter"):
        return lab, (lab.parts[-1],)
    g = _GUESS_LABEL.match(t)
    if g is None or not _title_start(t[g.end():]):
        return None, ()
    ch, rest = g.group("c"), t[g.end():]
    if g.group("sep") == "." and ch in _DIGIT_LOOKALIKES:
        d = _DIGIT_LOOKALIKES[ch]
        return Label("arabic", (d,), t[:g.end()].strip(), rest, int(d)), (d,)
    if g.group("sep") == ")" and (ch in _LETTER_LOOKALIKES or ch.isalpha() and ch.lower() in _LETTERS):
        letter = _LETTER_LOOKALIKES.get(ch, ch.lower())
        return Label("letter", (letter,), t[:g.end()].strip(), rest, _LETTERS.find(letter) + 1), (letter,)
    return None, ()


def _title_start(rest: str) -> bool:
    r = rest.lstrip(" \"'“‘«(")
    return bool(r) and r[0].isupper()


def _siblings(cands: list[_Cand], i: int, kind: str, higher: int,
              sure: bool = True) -> tuple[_Cand | None, _Cand | None]:
    """The nearest candidates of `kind` (with a sure label, unless not `sure`) before and after
    cands[i], within the stretch no candidate ranked above `higher` interrupts."""
    def scan(rng):
        for j in rng:
            x = cands[j]
            if x.kind == kind and not (sure and x.guesses):
                return x
            if x.label is not None and x.label.rank < higher and x.kind != kind:
                return None
        return None
    return scan(range(i - 1, -1, -1)), scan(range(i + 1, len(cands)))


def _value(c: _Cand | None) -> int | None:
    return c.label.value if c is not None and c.label is not None else None


def _settle_guesses(cands: list[_Cand], doc: Document) -> None:
    """Keep a repaired label (`_repair_label`) only where the numbering around it confirms it:
    the sibling before it is one less or the one after it one more; an Arabic "4)" where the
    letters run "… b)" is the "a)" it looks like; a short title-like line with no label between
    "1." and "3." (the "2." lost to a speck or misread) is the "2."."""
    keep: list[_Cand] = []
    for i, c in enumerate(cands):
        # "4)" read for "a)": an Arabic label off its own sequence, a letter's look-alike fitting the letters'
        if c.kind == "arabic" and not c.guesses and c.label.raw.endswith(")") and c.label.parts[0] in _LETTER_LOOKALIKES:
            letter = _LETTER_LOOKALIKES[c.label.parts[0]]
            pa, na = _siblings(cands, i, "arabic", 20)
            pl, nl = _siblings(cands, i, "letter", 30, sure=False)
            v = _LETTERS.find(letter) + 1
            if _value(pa) != c.label.value - 1 and _value(na) != c.label.value + 1 \
                    and (_value(nl) == v + 1 or _value(pl) == v - 1 and pl is not None):
                c.label = Label("letter", (letter,), c.label.raw, c.label.rest, v)
                c.kind = "letter"
                c.view = heading_view(doc.blocks[c.block], c.label)
    for i, c in enumerate(cands):
        if c.guesses:
            v = c.label.value
            prev, nxt = _siblings(cands, i, c.kind, RANK[c.kind] + (len(c.label.parts) - 1 if c.kind == "dotted" else 0))
            if c.kind == "dotted":
                ok = any(x is not None and x.label.parts[:-1] == c.label.parts[:-1]
                         and _value(x) == v + (1 if x is nxt else -1) for x in (prev, nxt))
            else:
                ok = v is not None and (_value(prev) == v - 1 or _value(nxt) == v + 1)
            if not ok:
                continue
            c.guesses = ()
        keep.append(c)
    cands[:] = keep
    _fill_gaps(cands, doc)


_JUNK_WORD = re.compile(r"^(\S{1,3})\s+")


def _fill_gaps(cands: list[_Cand], doc: Document) -> None:
    """"1." and "3." with one short title-like line between them and no "2.": that line is the
    "2." whose label a speck spoiled or OCR lost ("số Công tác xây dựng tổ chức Hội")."""
    blocks = doc.blocks
    known = {c.block for c in cands}
    added: list[_Cand] = []
    for i, c in enumerate(cands):
        if c.kind != "arabic" or c.label.value is None:
            continue
        nxt = next((x for x in cands[i + 1:] if x.kind == "arabic" or x.label is not None and x.label.rank < 20), None)
        if nxt is None or nxt.kind != "arabic" or nxt.label.value != c.label.value + 2:
            continue
        found: list[tuple[int, str]] = []
        for j in range(c.block + 1, nxt.block):
            b = blocks[j]
            if j in known:
                break
            if not isinstance(b, Paragraph):
                continue
            text = squash(b.text)
            m = _JUNK_WORD.match(text)  # a speck read as a mark or a short lower-case word
            junk = m is not None and (m.group(1).islower() or not any(ch.isalnum() for ch in m.group(1)))
            rest = text[m.end():] if junk else text
            if _title_start(rest) and 2 <= n_words(rest) <= 15 and rest[-1:] not in ".;,:" \
                    and not is_upper_text(rest) and not rest.startswith(("Bảng", "Biểu", "Hình", "(")):
                found.append((j, rest))
        if len(found) != 1:
            continue
        j, rest = found[0]
        v = c.label.value + 1
        head = squash(blocks[j].text)[:len(squash(blocks[j].text)) - len(rest)].strip()
        lab = Label("arabic", (str(v),), head or f"{v}.", rest, v)
        added.append(_Cand(j, lab, heading_view(blocks[j], lab), "arabic"))
    if added:
        cands.extend(added)
        cands.sort(key=lambda x: x.block)


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
        _settle_guesses(cands, doc)
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
