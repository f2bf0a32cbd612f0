"""Word automatic list numbering (word/numbering.xml) rendered into list labels: "I.", "1.", "a)".

A numbered paragraph names a list instance (w:num, by numId) and a level (ilvl), directly in its
w:numPr or through its paragraph style. The instance points to an abstract definition
(w:abstractNum, possibly through a numbering style: numStyleLink → style → numId) whose levels
give start, numFmt, lvlText ("%1.%2."), lvlRestart and isLgl; the instance may override a level
(w:lvlOverride with w:startOverride and/or a whole w:lvl).

Counting follows Word (and LibreOffice, checked against its rendering): instances of one
abstract definition share its counters (a new numId continues the list) unless the instance
overrides a level's start, which restarts that level the first time the instance is used. A
level resets whenever a higher level is used (or the level its lvlRestart names; 0 = never).
A level used before its parents makes them begin at their start value, so a list opening on
"1.1" continues with "2." at the top level. Bullets in Symbol/Wingdings become their glyph.

`Numbering(numbering_root, style_numbering)` then `label(num_id, ilvl)` once per numbered
paragraph, in document order; it returns the label or None (numId 0, "none" format, unknown).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VAL = W + "val"
MAX_LEVELS = 9


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # None: "%{ilvl+1}."
    restart: int | None = None  # lvlRestart: None = after any higher level, 0 = never
    legal: bool = False  # isLgl: show every level's number as decimal
    style: str | None = None  # w:pStyle: the paragraph style linked to this level
    font: str | None = None  # the label's font (a bullet in Symbol/Wingdings is a glyph code)


# -- number formats ------------------------------------------------------------------------------
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    """Word's letters: a … z, then aa … zz, aaa …"""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _ordinal(n: int) -> str:
    return f"{n}"


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": lambda n: _roman(n).upper(),
    "lowerRoman": _roman,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": _letter,
    "ordinal": _ordinal,
    "none": lambda n: "",
}

# A bullet set in a symbol font is a glyph code (Word may store it as U+F0xx): its picture.
_SYMBOL_GLYPHS = {
    "wingdings": {0x6C: "●", 0x6E: "■", 0x71: "❑", 0x76: "❖", 0xA7: "▪", 0xA8: "◻", 0xD8: "➢",
                  0xFC: "✓", 0xE0: "→", 0xF0: "⇨", 0x9F: "•", 0x77: "◆"},
    "symbol": {0xB7: "•", 0x2D: "-", 0xA8: "♦", 0xDE: "⇒", 0xAE: "→"},
}
_SYMBOL_FONTS = {"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings"}
_PLAIN_BULLETS = {"o": "◦", "\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓"}


def _bullet(text: str, font: str | None) -> str:
    text = text.strip()
    if not text:
        return "•"
    name = (font or "").strip().lower()
    if name in _SYMBOL_FONTS or all("\uf000" <= c <= "\uf0ff" for c in text):
        code = ord(text[0]) & 0xFF
        return _SYMBOL_GLYPHS.get(name.split()[0] if name else "", {}).get(code) \
            or _SYMBOL_GLYPHS["symbol"].get(code) or "•"
    return _PLAIN_BULLETS.get(text, text)


def _int(el, default: int | None = None) -> int | None:
    if el is None:
        return default
    return _to_int(el.get(VAL, ""), default)


def _to_int(text: str | None, default: int | None = 0) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return default


def _parse_level(lvl) -> tuple[int, Level]:
    ilvl = _to_int(lvl.get(W + "ilvl"), 0)
    fmt_el, text_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText")
    style_el = lvl.find(W + "pStyle")
    restart_el = lvl.find(W + "lvlRestart")
    legal_el = lvl.find(W + "isLgl")
    fonts = lvl.find(f"{W}rPr/{W}rFonts")
    return ilvl, Level(
        start=_int(lvl.find(W + "start"), 1),
        fmt=fmt_el.get(VAL, "decimal") if fmt_el is not None else "decimal",
        text=text_el.get(VAL) if text_el is not None else None,
        restart=_int(restart_el) if restart_el is not None else None,
        legal=legal_el is not None and legal_el.get(VAL, "1").lower() not in ("0", "false", "off"),
        style=style_el.get(VAL) if style_el is not None else None,
        font=(fonts.get(W + "ascii") or fonts.get(W + "hAnsi")) if fonts is not None else None,
    )


_PLACEHOLDER = re.compile(r"%([1-9])")


class Numbering:
    """The numbering definitions of one document, and the running counters."""

    def __init__(self, root: etree._Element | None, style_numbering: dict[str, str] | None = None):
        """`style_numbering`: numbering style id → the numId in its w:numPr (for numStyleLink)."""
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNumId → numbering style it takes levels from
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.style_numbering = style_numbering or {}
        self.counters: dict[str, list[int | None]] = {}
        self.used_nums: set[str] = set()
        if root is None:
            return
        for an in root.iter(W + "abstractNum"):
            aid = an.get(W + "abstractNumId")
            levels = {}
            for lvl in an.findall(W + "lvl"):
                i, level = _parse_level(lvl)
                levels[i] = level
            self.abstract[aid] = levels
            link = an.find(W + "numStyleLink")
            if link is not None:
                self.style_link[aid] = link.get(VAL)
        for num in root.iter(W + "num"):
            nid = num.get(W + "numId")
            ref = num.find(W + "abstractNumId")
            if nid is None or ref is None:
                continue
            overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for ov in num.findall(W + "lvlOverride"):
                i = _to_int(ov.get(W + "ilvl"), 0)
                so = ov.find(W + "startOverride")
                if so is not None:
                    starts[i] = _int(so, 1)
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    _, level = _parse_level(lvl)
                    overrides[i] = level
                    if lvl.find(W + "start") is not None and i not in starts:
                        starts[i] = level.start
            self.nums[nid] = (ref.get(VAL), overrides, starts)

    # -- definitions ---------------------------------------------------------------------
    def abstract_id(self, num_id: str, depth: int = 0) -> str | None:
        """The abstract definition an instance uses, following numbering-style links."""
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        aid = entry[0]
        style = self.style_link.get(aid)
        if style and depth < 5:
            linked_num = self.style_numbering.get(style)
            if linked_num and linked_num != num_id:
                return self.abstract_id(linked_num, depth + 1) or aid
        return aid

    def level(self, num_id: str, ilvl: int) -> Level | None:
        aid = self.abstract_id(num_id)
        if aid is None:
            return None
        _, overrides, _ = self.nums[num_id]
        return overrides.get(ilvl) or self.abstract.get(aid, {}).get(ilvl)

    def level_for_style(self, num_id: str, style_id: str | None) -> int | None:
        """The level of `num_id`'s definition linked to a paragraph style (w:lvl/w:pStyle)."""
        if not style_id:
            return None
        aid = self.abstract_id(num_id)
        for i, level in self.abstract.get(aid, {}).items():
            if level.style == style_id:
                return i
        return None

    # -- counting ------------------------------------------------------------------------
    def label(self, num_id: str | None, ilvl: int | None) -> str | None:
        """Advance the counters for a paragraph numbered (num_id, ilvl); return its label."""
        if not num_id or num_id == "0":
            return None
        ilvl = min(max(ilvl or 0, 0), MAX_LEVELS - 1)
        aid = self.abstract_id(num_id)
        if aid is None:
            return None
        _, overrides, starts = self.nums[num_id]
        levels = {i: overrides.get(i) or self.abstract.get(aid, {}).get(i) or Level()
                  for i in range(MAX_LEVELS)}
        for i, s in starts.items():
            if i in levels:
                levels[i] = replace(levels[i], start=s)
        counters = self.counters.setdefault(aid, [None] * MAX_LEVELS)
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for i in starts:
                if 0 <= i < MAX_LEVELS:
                    counters[i] = None  # an overridden start restarts the level here
        level = levels[ilvl]
        for j in range(ilvl):  # a level used before its parents: they count as begun (as Word does)
            if counters[j] is None:
                counters[j] = levels[j].start
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        for j in range(ilvl + 1, MAX_LEVELS):
            restart = levels[j].restart
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                counters[j] = None
        return self._render(level, levels, counters, ilvl)

    @staticmethod
    def _render(level: Level, levels: dict[int, Level], counters: list[int | None], ilvl: int) -> str | None:
        if level.fmt == "bullet":
            return _bullet(level.text or "", level.font)
        if level.fmt == "none" and not level.text:
            return None
        template = level.text if level.text is not None else f"%{ilvl + 1}."

        def number(m: re.Match) -> str:
            i = int(m.group(1)) - 1
            n = counters[i] if counters[i] is not None else levels[i].start  # a level below
            fmt = "decimal" if level.legal and levels[i].fmt != "none" else levels[i].fmt
            return FORMATS.get(fmt, str)(n)

        out = _PLACEHOLDER.sub(number, template).strip()
        return out or None
