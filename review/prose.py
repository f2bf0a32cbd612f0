"""The prose around a flag, for the templates: the section path ("II. Tổ chức hoạt động ›
II.2. Kết quả thực hiện"), and a flagged sentence shown in its paragraph with the sentence and
the stated value marked. Output is a list of (text, kind) spans the template escapes itself."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Span = tuple[str, str]  # (text, "" | "sentence" | "stated")


@dataclass
class Passage:
    """A paragraph holding a flagged sentence."""

    section: str | None
    section_title: str | None
    spans: list[Span] = field(default_factory=list)
    found: bool = True  # False: the sentence alone (not found in the section text)


def section_index(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["number"]: s for s in record.get("sections") or [] if s.get("number")}


def section_path(record: dict[str, Any], number: str | None) -> list[tuple[str, str]]:
    """(number, title) of the section and its ancestors, outermost first."""
    if not number:
        return []
    idx = section_index(record)
    parts = number.split(".")
    out = []
    for i in range(1, len(parts) + 1):
        n = ".".join(parts[:i])
        if n in idx:
            out.append((n, idx[n].get("title") or ""))
    if not out or out[-1][0] != number:
        out.append((number, idx.get(number, {}).get("title", "")))
    return out


def _ws_pattern(text: str) -> re.Pattern[str]:
    """`text` as a regex tolerant of whitespace differences."""
    words = [re.escape(w) for w in text.split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _mark(paragraph: str, sentence: str, stated: str | None) -> list[Span] | None:
    m = _ws_pattern(sentence).search(paragraph) if sentence.strip() else None
    if m is None:
        return None
    spans: list[Span] = []
    if m.start():
        spans.append((paragraph[:m.start()], ""))
    spans.extend(_mark_stated(m.group(0), stated))
    if m.end() < len(paragraph):
        spans.append((paragraph[m.end():], ""))
    return spans


def _mark_stated(sentence: str, stated: str | None) -> list[Span]:
    if stated and stated.strip():
        pat = re.compile(r"(?<![\w.,])" + r"\s+".join(map(re.escape, stated.split())) + r"(?![\w])")
        m = pat.search(sentence) or _ws_pattern(stated).search(sentence)
        if m is not None:
            return [x for x in ((sentence[:m.start()], "sentence"), (m.group(0), "stated"),
                                (sentence[m.end():], "sentence")) if x[0]]
    return [(sentence, "sentence")]


def _paragraphs(record: dict[str, Any], section: str | None) -> list[tuple[str | None, str | None, str]]:
    """(section number, title, paragraph) — the flag's section first, then every other one,
    the title itself included (a heading may run on into its first sentence)."""
    secs = record.get("sections") or []
    order = [s for s in secs if s.get("number") == section] + [s for s in secs if s.get("number") != section]
    out: list[tuple[str | None, str | None, str]] = []
    for s in order:
        title = s.get("title") or ""
        paras = [p for p in (s.get("text") or "").split("\n") if p.strip()]
        if paras:
            out.append((s.get("number"), title, f"{title}: {paras[0]}"))
        out.extend((s.get("number"), title, p) for p in paras)
        out.append((s.get("number"), title, title))
    md = record.get("metadata") or {}
    if md.get("title"):
        out.append((None, None, md["title"]))
    return out


def passage(record: dict[str, Any], sentence: str, section: str | None, stated: str | None) -> Passage:
    """The paragraph in which `sentence` stands, with it (and `stated` inside it) marked."""
    for num, title, para in _paragraphs(record, section):
        spans = _mark(para, sentence, stated)
        if spans is not None:
            if para.startswith(f"{title}: ") and not sentence.startswith(title or "\0"):
                spans = _strip_prefix(spans, len(title or "") + 2)
            return Passage(num, title, spans)
    idx = section_index(record)
    return Passage(section, idx.get(section or "", {}).get("title"), _mark_stated(sentence, stated), found=False)


def _strip_prefix(spans: list[Span], n: int) -> list[Span]:
    out: list[Span] = []
    for text, kind in spans:
        if n >= len(text):
            n -= len(text)
            continue
        out.append((text[n:], kind))
        n = 0
    return out


def passages_for(flag: Any, record: dict[str, Any]) -> list[Passage]:
    """The passages a flag points at: its sentence, or each sentence its evidence cites
    (every citation of a reference, the prose that agrees with a table)."""
    ev = flag.evidence or {}
    out: list[Passage] = []
    if flag.sentence:
        out.append(passage(record, flag.sentence, flag.section, flag.stated))
    elif isinstance(ev.get("sentence"), str) and ev["sentence"]:
        out.append(passage(record, ev["sentence"], flag.section, flag.stated))
    for occ in ev.get("occurrences") or []:
        if isinstance(occ, dict) and occ.get("sentence"):
            p = passage(record, occ["sentence"], occ.get("section"), occ.get("code"))
            if all(p.spans != q.spans for q in out):
                out.append(p)
    return out


def section_text(record: dict[str, Any], number: str | None) -> tuple[str | None, list[str]]:
    """(title, paragraphs) of a section (for empty-section and outline flags)."""
    s = section_index(record).get(number or "")
    if s is None:
        return None, []
    return s.get("title"), [p for p in (s.get("text") or "").split("\n") if p.strip()]
