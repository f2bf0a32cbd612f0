"""count_mismatch: a whole and its listed parts in prose disagree.

"Ban chỉ đạo có 09 thành viên, trong đó có 01 trưởng ban, 02 phó trưởng ban và 05 ủy viên":
9 ≠ 8. The whole is the number right before the trigger ("gồm", "bao gồm", "trong đó", "chia
ra", ":"); the parts are the numbers listed after it, separated by commas, semicolons or "và".
Parts must count the same kind of thing as the whole (persons, households, organisations …,
money in any scale). A "còn lại"/"khác"/"…" part absorbs the remainder: then only parts above
the whole are flagged. After "trong đó" the parts must look like a partition (roles or
categories: "giáo viên", "nhân viên"; "trường Mầm non", "trường Tiểu học"), not overlapping
attributes ("45 nữ, 30 đảng viên"), which are only checked not to exceed the whole; and a
"trong đó" list is taken for complete only when closed by "và" ("…, 02 phó trưởng ban và 05 ủy
viên") — "trong đó 20 đại biểu cấp tỉnh, 30 đại biểu cấp huyện" may leave parts out.

The whole is the last count before the trigger, but not an age describing it ("46 trẻ dưới 1
tuổi, trong đó …"), and not the last of a list of counts ("04 trường đại học, 08 cao đẳng, 03
trường nghề; trong đó …": whose parts?). A part's noun must share a word with the whole's noun
or with the rest of the whole's phrase up to the trigger ("11 tổ dân phố, khu dân cư, trong đó
8 tổ dân phố và 4 khu dân cư"), not with words further in its unit ("51 Quyết định … TTHC; trong
đó 109 TTHC" counts decisions); "64 lượt hộ vay" may be split into households. A list closed
by "và" ends there. A stock-and-flow sentence ("tiếp nhận 286 người, trong đó 259 người tái hòa
nhập …, 1 người tử vong": checks.flows) is not a whole and its parts.

The words between the whole and the trigger may be a long description of it (up to 16 words,
one clause, dates and years allowed: "312 người cao tuổi vào dịp … Ngày Quốc tế Người cao tuổi
01/10, trong đó: …"), never another quantity. Parts may be spelled out: a long name first, with
a comma in it ("vi phạm quy định về phòng cháy, chữa cháy rừng 1 vụ"), numbers on the way that
name the part ("tuổi 70 là 118 người"), or a description of the part before running past a comma
("10 buổi về phòng, chống bạo lực gia đình, 8 buổi …"). A list separated by commas ends at a
semicolon ("…, 7 ca; tử vong 04 ca").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from checks.confidence import prose_reading
from checks.context import Ctx, Sentence
from checks.flows import FLOWS, mention_role
from checks.lexicon import (APPROX, ATTRIBUTE_WORDS, COUNT_KINDS, GENERIC_HEADS, PART_TRIGGERS,
                            PARTITIONS, SUBSET_MARKERS)
from checks.registry import make_flag, rule
from checks.text import Mention, fold, same_kind, unit_head, words
from checks.rules.totals import as_number
from models.report import Severity

_TRIGGER = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(PART_TRIGGERS, key=len, reverse=True)) + r")(?!\w)\s*:?"
    r"|:(?=\s)", re.IGNORECASE)
_LEAD = re.compile(r"[\s:,\-–]*(?:(?:có|là|được|với|như sau|gồm)\s*:?\s*)*", re.IGNORECASE)
_SEP = re.compile(r"\s*(,\s*và|;\s*và|,|;|và|cùng với)\s+", re.IGNORECASE)
_RUN = re.compile(r"[^,;.:()\d…]{0,40}?(?=\s*(?:,|;|\(|…|\.\.\.|(?<!\w)và(?!\w)))|\s*\([^)]*\)")
_ELLIPSIS = re.compile(r"\s*(?:\([^)]*\))?\s*(?:…|\.\.\.|v\.v)")
_REST_START = re.compile(r"(?:số\s+)?(?:còn lại|các\s+(?:\w+\s+){0,4}?khác|khác|…|\.\.\.|v\.v)",
                         re.IGNORECASE)


@dataclass
class Listing:
    whole: Mention
    parts: list[Mention]
    trigger: str
    rest: bool  # a "còn lại"/"khác"/"…" part absorbs the remainder
    closed: bool = False  # "A, B và C": the list ends with "và"
    desc: str = ""  # folded words between the whole and the trigger ("11 tổ dân phố, khu dân cư,")
    intro: str = ""  # folded text from the whole's number to its first part's ("… các cấp (…), trong đó: cấp …")


# Nouns for persons the shared lexicon does not know yet (checks.lexicon.KINDS["person"] is the
# place for them): "khám cho 120 công dân, kết quả: loại 1 có 12 người, …".
_MORE_PERSONS = ("công dân", "tân binh", "thí sinh", "người bệnh", "bị can", "bị cáo", "phạm nhân")


def _rekind(m: Mention) -> Mention:
    if m.kind is None and m.unit:
        for noun in _MORE_PERSONS:
            if m.unit == noun or m.unit.startswith(noun + " "):
                return replace(m, head=noun, kind="person")
    return m


def listings(sentence: Sentence) -> list[Listing]:
    s = sentence.text
    ms = [_rekind(m) for m in sentence.mentions if not m.percent]
    inside = _parenthesised(s)
    out = []
    for t in _TRIGGER.finditer(s):
        if t.start() in inside:
            continue
        trig = fold(t.group(1) or ":")
        before = [m for m in ms if m.end_unit <= t.start() and m.over is None and not m.numerator
                  and m.start not in inside]
        if not before:
            continue
        whole, skip = _whole(s, before)
        if _in_a_list(s, before, whole):
            continue  # "04 trường đại học, 08 cao đẳng, 03 trường nghề; trong đó …": whose parts?
        gap = s[whole.end_unit:t.start()]
        if skip is not None:  # "46 trẻ dưới 1 tuổi, trong đó …": the age describes the whole
            gap = gap.replace(s[skip.start:skip.end_unit], " ", 1)
        gap = re.sub(r"\([^()]*\)", " ", gap)
        long_gap = len(gap.split()) > 6
        if not _describes(whole, skip, t.start(), sentence.mentions, gap, inside):
            continue
        parts, rest, closed = _parts(s, t.end(), ms, whole)
        if parts:
            # a long description says where or when, not what is counted: only the whole's own
            # noun tells what its parts may count
            out.append(Listing(whole, parts, trig, rest, closed, "" if long_gap else " ".join(words(gap)),
                               fold(s[whole.start:parts[0].start])))
    out.extend(_bracketed(s, ms))
    return out


_LONG_GAP = 16  # words between a whole and its trigger when they describe it


def _describes(whole: Mention, skip: Mention | None, trigger: int, all_ms: list[Mention], gap: str,
               inside: set[int]) -> bool:
    """The words between the whole and the trigger still describe the whole: no other quantity
    among them (a date or a year is none: "64 hộ tái định cư vào dịp cuối năm 2024, trong đó
    …"), and when longer than six words, one clause (no ";") of at most _LONG_GAP words ("24
    buổi tuyên truyền lồng ghép trong sinh hoạt chi hội, gồm …")."""
    if any(whole.end_unit <= m.start < trigger and m.start not in inside
           for m in all_ms if m is not whole and m is not skip):
        return False
    n = len(gap.split())
    return n <= 6 or (";" not in gap and n <= _LONG_GAP)


def _in_a_list(s: str, before: list[Mention], whole: Mention) -> bool:
    """The whole is the last of a list of counts ("A trường, B cao đẳng, C trường nghề"): the
    parts after the trigger may belong to any of them, or to their sum."""
    i = next((k for k, m in enumerate(before) if m is whole), None)
    if not i:
        return False
    prev = before[i - 1]
    gap = fold(s[prev.end_unit:whole.start]).strip()
    if gap in (",", ";", "và", ", và") and whole.kind in COUNT_KINDS and bool(prev.unit) and \
            not prev.percent and prev.kind in (whole.kind, None):
        return True
    # labelled amounts in the same unit ("đất phi nông nghiệp 498,37 ha và đất chưa sử dụng
    # 33,87 ha; trong đó đất trồng lúa …"): the "trong đó" may be any one's
    # (a list an enumerator opened before them: "… là 1.856,42 ha, gồm …")
    m = re.fullmatch(r"(?:,|;|và|, và)\s+([^\d,;:()]+)", gap)
    return m is not None and len(m.group(1).split()) <= 6 and bool(prev.unit) and prev.unit == whole.unit \
        and not prev.percent and prev.kind == whole.kind \
        and re.search(r"(?<!\w)(?:bao gồm|gồm|chia ra)(?!\w)|:", fold(s[:prev.start])) is not None


def _whole(s: str, before: list[Mention]) -> tuple[Mention, Mention | None]:
    """The whole before a trigger: the last number before it, unless that number is an age or a
    duration describing the count before it ("46 trẻ dưới 1 tuổi", "12 người trên 60 tuổi")."""
    last = before[-1]
    if last.kind == "time" and len(before) >= 2:
        prev = before[-2]
        between = s[prev.end_unit:last.start]
        if prev.kind in COUNT_KINDS and len(between.split()) <= 3 and not re.search(r"[\d,;:()]", between):
            return prev, last
    return last, None


def _bracketed(s: str, ms: list[Mention]) -> list[Listing]:
    """A breakdown in brackets right after its whole: "Ban Chấp hành gồm 15 đồng chí (01 Chủ
    tịch, 02 Phó Chủ tịch và 11 ủy viên)". The bracket must open on a number and hold nothing
    but the listed parts; a note in brackets ("(tăng 12 hộ)", "(trong đó 3 nữ)") is no list."""
    out = []
    by_start = {m.start: m for m in ms}
    for b in re.finditer(r"\(([^()]*)\)", s):
        before = [m for m in ms if m.end_unit <= b.start() and m.over is None and not m.numerator]
        if not before:
            continue
        whole = before[-1]
        gap = s[whole.end_unit:b.start()]
        if re.search(r"\d", gap) or len(gap.split()) > 2:
            continue
        first = _LEAD.match(s, b.start() + 1).end()
        if first != b.start() + 1 or first not in by_start:
            continue
        parts, rest, closed = _parts(s, first, ms, whole)
        if not parts or any(p.start >= b.end() for p in parts) or re.search(
                r"\d", s[parts[-1].end_unit:b.end()]):
            continue
        out.append(Listing(whole, parts, "(", rest, closed, intro=fold(s[whole.start:parts[0].start])))
    return out


_LABEL = re.compile(r"[^\W\d_][^\d,;:.()…%]{0,30}?\s+$")


def _labelled(s: str, p: int, ms: list[Mention]) -> Mention | None:
    """A part written name first: "trong đó: cán bộ 11 người, công chức 14 người"."""
    after = [m for m in ms if m.start > p]
    # a duration may stand inside the name ("đào tạo dưới 3 tháng 5.720 người")
    k = 0
    while k < len(after) - 1 and after[k].kind == "time" and after[k + 1].kind != "time":
        k += 1
    nxt = after[k] if after else None
    if nxt is None:
        return None
    text = s[p:nxt.start]
    bare = text
    for m in after[:k]:
        bare = bare.replace(s[m.start:m.end], "#", 1)
    limit = 4 + 4 * k  # a name with a duration in it is longer
    if not _LABEL.fullmatch(bare.replace("#", "x")) or len(text.split()) > limit or _REST_START.match(text):
        return None
    label = fold(text)
    if label.split()[0] in ("là", "có", "đạt", "được", "với", "tăng", "giảm", "và", "còn", "trên", "gần"):
        return None
    return replace(nxt, extra={**nxt.extra, "label": label, "label_text": " ".join(text.split())})


def _parenthesised(s: str) -> set[int]:
    """Offsets inside parentheses: "5.854 hồ sơ (4.679 … và 1.175 …), trong đó …" — the whole
    before "trong đó" is 5.854, not the last number in the brackets (a list in brackets right after
its whole is read by _bracketed)."""
    out: set[int] = set()
    for m in re.finditer(r"\([^()]*\)", s):
        out.update(range(m.start(), m.end()))
    return out


def _parts(s: str, pos: int, ms: list[Mention],
           whole: Mention | None = None) -> tuple[list[Mention], bool, bool]:
    """The numbered parts listed from `pos`, whether a remainder part ends the list, and
    whether the list is closed by "và" before its last part ("A, B và C")."""
    parts: list[Mention] = []
    seps: list[str] = []
    by_start = {m.start: m for m in ms}
    closed = lambda: bool(seps) and len(seps) >= len(parts) - 1 and "và" in fold(seps[len(parts) - 2])  # noqa: E731
    inside = _parenthesised(s)
    while True:
        p = _LEAD.match(s, pos).end()
        m, va = by_start.get(p), False
        # after a part written number first, what runs on past a comma is still its
        # description ("6 lớp về chăn nuôi lợn, gà, 5 lớp …"): read that before a name
        if m is None and whole is not None and parts and "label" not in parts[-1].extra:
            m, va = _spelled_out(s, p, ms, whole, parts, inside)
        m = m or _labelled(s, p, ms)
        if m is not None and whole is not None and "label" in m.extra and not m.unit \
                and unit_head(m.extra["label"].split())[1] not in (None, whole.kind):
            m = None  # "tuổi 70 là 118 người": the 70 names the part, 118 counts it
        if m is None and whole is not None:
            m, va = _spelled_out(s, p, ms, whole, parts, inside)
        if m is not None and va:
            if seps:
                seps[-1] = "và"
            else:
                seps.append("và")
        if m is None or m.over is not None or m.numerator:
            led_nowhere = bool(seps) and len(seps) >= len(parts)
            if led_nowhere:
                seps.pop()  # a separator that led nowhere
            rest = bool(parts) and bool(_REST_START.match(s, p))
            # "…, loại 3 có 17 người, không đạt (…) 61 người": a part the reader could not make
            # out still follows; the list read so far is not the whole of it
            cut = led_nowhere and whole is not None and _more_of_it(s, p, ms, whole, inside)
            return parts, rest or cut, closed()
        parts.append(m)
        pos = m.end_unit
        rest = bool(re.search(r"(?<!\w)khác(?!\w)", f"{m.unit} {m.tail}"))
        run = _RUN.match(s, pos)  # the part's words may run on ("5 trường đạt chuẩn, …")
        end = run.end() if run else pos
        if _ELLIPSIS.match(s, end):
            return parts, True, closed()
        sep = _SEP.match(s, end)
        if rest or not sep or (seps and "và" in fold(seps[-1])):
            return parts, rest, closed()  # "…, B và C; …": "và" ends the list
        if sep.group(1).startswith(";") and any(x.startswith(",") for x in seps):
            return parts, rest, closed()  # "A, B; tử vong C": a list by commas ends at ";"
        seps.append(sep.group(1))
        pos = sep.end()


def _more_of_it(s: str, p: int, ms: list[Mention], whole: Mention, inside: set[int]) -> bool:
    """A quantity of what the whole counts stands after `p` in the same clause (up to the next
    semicolon), outside brackets."""
    end = s.find(";", p)
    end = len(s) if end < 0 else end
    return any(p <= x.start < end and x.start not in inside and x.unit and not x.percent
               and x.kind != "time" and x.over is None and not x.numerator and _compatible(whole, x)
               for x in ms)


_SPELL_MAX = 12  # words of a part's name, or of the words between two parts
_SEP_WORD = re.compile(r",|(?<!\w)và(?!\w)")


def _spelled_out(s: str, p: int, ms: list[Mention], whole: Mention, parts: list[Mention],
                 inside: set[int]) -> tuple[Mention | None, bool]:
    """The next part when its name is long or holds a comma: written name first ("phá rừng trái
    pháp luật 3 vụ", "vi phạm quy định về phòng cháy, chữa cháy rừng 1 vụ", "tuổi 70 là 118
    người"), or after a description of the part before that runs past a comma ("10 buổi về
    phòng, chống bạo lực gia đình, 8 buổi …"). The first quantity after `p` with a unit, within
    one clause and _SPELL_MAX words, that counts what the whole counts; numbers without a unit
    or of time on the way name the part ("tuổi 70"). Also whether a "và" stands before it.
    A quantity of another kind ends the list as the part it is (the caller then drops the
    list: whose parts are these?)."""
    if _REST_START.match(s, p):
        return None, False
    for x in ms:
        if x.start < p or x.start in inside:
            continue
        between = s[p:x.start]
        # a note in brackets inside the name ("không đạt (loại 4 trở lên …) 61 người")
        bare = re.sub(r"\s*\([^()]*\)", " ", between)
        if re.search(r"[;:()…]|\.\.\.|\.\s", bare) or len(bare.split()) > _SPELL_MAX:
            return None, False
        if x.percent or x.over is not None or x.numerator:
            return None, False
        if not x.unit or x.kind == "time":
            continue  # "tuổi 70 là …": a number naming the part
        seps = list(_SEP_WORD.finditer(bare))
        if parts and not seps and "label" not in parts[-1].extra:
            return None, False  # no separator: the run of the part before
        if not _compatible(whole, x):
            return x, False
        va = any(m.group(0) == "và" for m in seps)
        if not parts or "label" in parts[-1].extra:  # names come first in this list
            written = bare
        else:  # the part before ran on up to the last separator
            written = bare[seps[-1].end():] if seps else ""
        written = re.sub(r"^và\s+", "", " ".join(written.split()).strip(" ,:-–"), flags=re.IGNORECASE)
        name = fold(written)
        if name and name.split()[0] in ("là", "có", "đạt", "được", "với", "tăng", "giảm", "còn"):
            return None, False
        if not name:
            return x, va
        return replace(x, extra={**x.extra, "label": name, "label_text": written}), va
    return None, False


def _rounding(m: Mention) -> float:
    """How far a written number may be from the exact one: half a unit of its last digit when
    it has decimals ("1,5 tỷ" is 1,45 to 1,55 tỷ); whole numbers are taken as exact."""
    dec = len(m.raw.partition(",")[2])
    return 0.0 if dec == 0 else 0.5 * 10 ** -dec * m.scale


def _approx(m: Mention) -> bool:
    return m.qualifier is not None and m.qualifier in APPROX


_COPULA = re.compile(r"^là\s+(.+?)(?:\s+(?:và|hoặc))?$")


def _category(m: Mention) -> str | None:
    """The kind a part is said to be with "là" ("2.980 thành viên là hộ gia đình" → "hộ gia
    đình"): a category of the counted noun, when a short noun phrase with no verb in it."""
    if m.unit[len(m.head):].strip():
        return None
    c = _COPULA.match(m.tail.strip())
    if not c:
        return None
    what = c.group(1).strip()
    ws = what.split()
    if not ws or len(ws) > 4 or what in ATTRIBUTE_WORDS:
        return None
    if any(re.search(rf"(?<!\w){w}(?!\w)", what) for w in SUBSET_MARKERS + _VERBISH):
        return None
    return what


_VERBISH = ("người", "tham", "tích cực", "thường xuyên", "trong", "ngoài", "từ", "trên", "dưới")


def _name(m: Mention) -> str:
    """What a part is: its name when written first ("cán bộ 11 người"), the category it is
    said to be ("215 thành viên là cá nhân"), else its unit head."""
    return m.extra.get("label") or _category(m) or m.head


def _bare(m: Mention, shared: frozenset[str] = frozenset()) -> bool:
    """A part named as a category ("giáo viên", "thành viên là cá nhân"), not a described
    subset ("hộ đạt …"). A marker the whole carries too is the whole's, not the part's: "38
    lượt hộ vay vốn, trong đó 30 hộ vay nuôi bò, …" lists kinds of loan."""
    if _name(m) in ATTRIBUTE_WORDS:
        return False
    if _category(m) is not None:
        return True
    tail = (m.unit[len(m.head):] + " " + m.tail).strip()
    return not any(re.match(rf"^(\w+\s)?{w}\b", tail) for w in SUBSET_MARKERS if w not in shared)


def _known_partition(ls: Listing) -> bool:
    return frozenset(_name(p) for p in ls.parts) in PARTITIONS


def _partition(ls: Listing) -> bool:
    if _known_partition(ls):
        return True
    names = [f"{p.extra.get('label', '')} {p.unit} {_category(p) or ''}" for p in ls.parts]
    w = ls.whole
    own = f" {w.unit} {w.tail} {ls.desc} "
    shared = frozenset(x for x in SUBSET_MARKERS if f" {x} " in own)
    return len(ls.parts) >= 2 and all(_bare(p, shared) for p in ls.parts) and len(set(names)) == len(names)


def _compatible(whole: Mention, part: Mention, desc: str = "") -> bool:
    if "label" in part.extra and not part.unit:  # "nam 12, nữ 13": the name says the kind
        kind = unit_head(part.extra["label"].split())[1]
        return kind is not None and kind == whole.kind
    return _same_units(_counted(whole, part), part, desc)


def _counted(whole: Mention, part: Mention) -> Mention:
    """"64 lượt hộ vay" counts loans to households: its parts may be written "30 hộ …"."""
    uw = whole.unit.split()
    if whole.kind == "visit" and uw[:1] == ["lượt"] and len(uw) > 1 and part.kind != "visit":
        head, kind = unit_head(uw[1:])
        if kind is not None:
            return replace(whole, unit=" ".join(uw[1:]), head=head, kind=kind)
    return whole


def _same_units(whole: Mention, part: Mention, desc: str = "") -> bool:
    if whole.kind in ("time", "percent", "measure") or part.kind in ("time", "percent"):
        return whole.kind == part.kind == "measure" and whole.head == part.head
    if whole.kind == "money" or part.kind == "money":
        return whole.kind == part.kind == "money"
    if not same_kind(whole, part):
        return False
    if whole.kind == "person" or whole.head in GENERIC_HEADS:
        return True
    # the part's noun shares a word with the whole's noun ("13 trường học" / "4 trường mầm non"),
    # or with the rest of the whole's noun phrase up to the trigger ("11 tổ dân phố, khu dân cư,
    # trong đó …"); not with words further in the whole's unit: "51 Quyết định danh mục TTHC;
    # trong đó … 109 TTHC" counts decisions, not procedures
    return bool((set(whole.head.split()) | set(desc.split())) & set(part.head.split()))


def _written(p: Mention) -> str:
    cat = _category(p)
    return " ".join(x for x in (p.extra.get("label_text") or p.extra.get("label"), p.raw, p.unit_text or p.unit,
                                f"là {cat}" if cat else None) if x)


def _stock_and_flow(s: Sentence, ls: Listing) -> bool:
    """The "parts" are terms of a balance, not a breakdown: an intake followed by departures
    ("tiếp nhận 286 người; tái hòa nhập 259 người; tử vong 1 người; hiện có 424 người"), or a
    part that opens one (checks.flows)."""
    def role(m: Mention) -> str | None:
        return mention_role(s.text, m, [x for x in s.mentions if x.end_unit <= m.start])[0]

    whole = role(ls.whole)
    parts = {role(p) for p in ls.parts} - {None}
    if parts & {"open", "stock"}:
        return True
    return whole in FLOWS and bool(parts - {whole, "close"})


_PARTIAL = re.compile(r"(?<!\w)(?:tiêu biểu|điển hình|nổi bật|một số|một vài|như(?! sau)|chủ yếu|ví dụ|"
                      r"chẳng hạn|phần lớn|đa số|trong số)(?!\w)")


def _partial(ls: Listing) -> bool:
    """The list is said to name only some of the parts: "21 mô hình, tiêu biểu như: …", "gồm
    một số mô hình như …", "trong đó có các mô hình nổi bật: …"."""
    return bool(_PARTIAL.search(ls.intro))


def _examples(ls: Listing) -> bool:
    """"trong đó có" ("among them are") before parts that repeat the whole's noun with what
    sets each apart ("21 mô hình …, trong đó có 5 mô hình trồng bưởi, 4 mô hình nuôi cá lồng và
    3 mô hình chăn nuôi lợn"): kinds picked out of an open range, not the whole split. Roles
    ("11 thành viên, trong đó có 01 chủ tịch, 02 phó chủ tịch và 08 ủy viên") still split it."""
    if ls.trigger != "trong đó có" or _known_partition(ls):
        return False
    return all(p.head == ls.whole.head and "label" not in p.extra and p.unit.strip() != p.head
               for p in ls.parts)


_CLASSIFIERS = ("xếp loại", "cấp", "loại", "mức", "hạng", "bậc", "nhóm", "khối", "độ tuổi")


def _classified(ls: Listing) -> bool:
    """Parts named by one classifier ("cấp Trung ương 2 hộ, cấp tỉnh 24 hộ, cấp huyện 138 hộ,
    cấp xã 338 hộ") of a whole announced by it ("512 hộ đạt danh hiệu … các cấp, trong đó:"):
    the list goes through the levels, so it is the whole split even when not closed by "và"."""
    if len(ls.parts) < 3:  # "các cấp, trong đó cấp tỉnh 5, cấp huyện 20": maybe only the higher ones
        return False
    names = []
    for p in ls.parts:
        name = p.extra.get("label") or fold(f"{p.unit[len(p.head):]} {p.tail}")
        names.append(name)
    for c in _CLASSIFIERS:
        if all(n == c or n.startswith(c + " ") for n in names) and len(set(names)) == len(names) and \
                re.search(rf"(?<!\w)(?:các|theo|mọi|từng|ở|\d+)\s+{c}(?!\w)",
                          ls.intro[:ls.intro.find(names[0])] if names[0] in ls.intro else ls.intro):
            return True
    return False


@rule("count_mismatch", Severity.WARNING, "Tổng và các phần liệt kê không khớp",
      "A whole and its listed parts disagree")
def count_mismatch(ctx: Ctx):
    for i, s in enumerate(ctx.sentences):
        for ls in listings(s):
            f = _check(ctx, s, ls)
            if f is not None:
                yield f
        yield from _complements(ctx, s)
        if i and ctx.sentences[i - 1].section == s.section:
            f = _announced(ctx, ctx.sentences[i - 1], s)
            if f is not None:
                yield f


# --- "đạt 17/19 tiêu chí …; còn 3 tiêu chí chưa đạt": a share and its complement ------------


_DONE = re.compile(r"(?<!\w)(?:đã\s+)?(đạt chuẩn|đạt|hoàn thành|giải quyết|xử lý|thực hiện|được công nhận)"
                   r"(?:\s+xong)?(?:\s+được)?\s*$")
_CLAUSE_END = re.compile(r"[,;:.()]")


def _complements(ctx: Ctx, s: Sentence):
    """"xã đạt 17/19 tiêu chí; còn 3 tiêu chí chưa đạt": the ones done and the ones not yet
    make the total (17 + 3 ≠ 19). The share is written X/Y after a verb of completion (đạt,
    hoàn thành, giải quyết …), the rest is the one count of the same thing after it in the
    sentence, said "chưa"/"không" with the same verb. Any other count of that thing after the
    share ("1 tiêu chí đang thẩm định") leaves a third group: silent."""
    text = s.text
    ms = s.mentions
    for x in ms:
        y = x.over
        if not x.numerator or y is None or x.percent or x.value is None or y.value is None:
            continue
        if x.kind not in COUNT_KINDS or _approx(x):
            continue
        clause = text[:x.start]
        cut = list(_CLAUSE_END.finditer(clause))
        verb = _DONE.search(fold(clause[cut[-1].end():] if cut else clause))
        if not verb:
            continue
        v = verb.group(1)
        neg = rf"(?:chưa|không)(?:\s+được)?\s+{v}(?!\w)"
        same = [z for z in ms if z.start >= x.end_unit and z is not y and z.start != y.start
                and not z.percent and z.over is None and not z.numerator and z.kind == x.kind
                and z.head == x.head]
        if len(same) != 1:
            continue
        z = same[0]
        if z.value is None or _approx(z):
            continue
        after = text[z.end_unit:]
        e = _CLAUSE_END.search(after)
        after = fold(after[:e.start()] if e else after)
        before = text[:z.start]
        b = list(_CLAUSE_END.finditer(before))
        before = fold(before[b[-1].end():] if b else before)
        if not (re.match(neg, f"{fold(z.unit[len(z.head):])} {after}".strip())
                or re.match(neg, after) or re.search(neg + r"\s*$", before)):
            continue
        total = x.value + z.value
        if abs(total - y.value) < 1e-9:
            continue
        unit = x.head
        computed = y.value - z.value
        yield make_flag(
            "count_mismatch", "complement",
            {"verb": v, "stated": x.raw, "total": y.raw, "unit": unit, "rest": z.raw, "sum": total,
             "computed": computed},
            section=s.section, stated=x.raw, computed=as_number(computed), expected=as_number(computed),
            sentence=text, location=ctx.locate(s, x.raw),
            evidence={"sentence": text, "whole": f"{y.raw} {unit}", "parts": [f"{x.raw} {unit} {v}",
                                                                          f"{z.raw} {unit} chưa {v}"],
                      "trigger": "complement", "remainder_part": False, "mode": "complement",
                      "readings": [prose_reading(text, x.raw, "stated", s.section),
                                   prose_reading(text, y.raw, "part", s.section),
                                   prose_reading(text, z.raw, "part", s.section)]})


# --- "tiếp nhận 76 đơn. Phân loại theo thẩm quyền: 58 đơn …; 15 đơn …" --------------------

_ANNOUNCE = re.compile(r"\s*(?:phân loại|phân chia|chia|phân|xét)\s+theo\s+[^\d:;,.()]{1,40}?\s*:"
                       r"|\s*phân loại\s*:", re.IGNORECASE)


def _announced(ctx: Ctx, prev: Sentence, s: Sentence):
    """A sentence that opens by announcing a breakdown ("Phân loại theo thẩm quyền:", "Chia
    theo giới tính:") splits the one count of the same thing in the sentence before, in the
    same paragraph. A classification goes through all the classes: the parts must make the
    whole. Silent when the sentence before has more than one such count, or the list may be
    partial ("…", "còn lại", "một số")."""
    a = _ANNOUNCE.match(s.text)
    if not a or _PARTIAL.search(fold(a.group(0))) or not _adjacent(ctx, prev, s):
        return None
    ms = [_rekind(m) for m in s.mentions if not m.percent]
    if not ms or ms[0].start < a.end():
        return None
    first = ms[0]
    inside = _parenthesised(prev.text)
    cands = [_rekind(m) for m in prev.mentions
             if not m.percent and not m.numerator and m.over is None and m.start not in inside
             and m.value is not None and m.kind in COUNT_KINDS]
    cands = [m for m in cands if _compatible(m, first)]
    if len(cands) != 1:
        return None
    w = cands[0]
    parts, rest, closed = _parts(s.text, a.end(), ms, w)
    if len(parts) < 2 or rest or _approx(w) or any(p.value is None or _approx(p) for p in parts):
        return None
    if not all(_compatible(w, p) for p in parts) or any(
            m.start >= parts[-1].end_unit and m.unit and m.kind != "time" and _compatible(w, m) for m in ms):
        return None  # more of the same after the list: whose are they?
    total = sum(p.scaled for p in parts)
    tol = 1e-6 * max(1.0, w.scaled) + sum(_rounding(m) for m in parts + [w])
    if abs(total - w.scaled) <= tol:
        return None
    computed = total / w.scale
    text = f"{prev.text} {s.text}"
    return make_flag(
        "count_mismatch", "default",
        {"stated": w.raw, "unit": w.unit_text or w.unit, "computed": computed,
         "parts": " + ".join(_written(p) for p in parts)},
        section=s.section, stated=w.raw, computed=as_number(computed), expected=as_number(computed),
        sentence=text, location=ctx.locate(prev, w.raw),
        evidence={"sentence": text, "whole": f"{w.raw} {w.unit_text or w.unit}".strip(),
                  "parts": [_written(p) for p in parts], "trigger": fold(a.group(0)).strip(),
                  "remainder_part": False, "mode": "complete",
                  "readings": [prose_reading(prev.text, w.raw, "stated", s.section)] + [
                      prose_reading(s.text, p.raw, "part", s.section) for p in parts]})


def _adjacent(ctx: Ctx, prev: Sentence, s: Sentence) -> bool:
    """The two sentences follow each other in one paragraph of their section."""
    pat = re.compile(re.escape(prev.text) + r"[ \t]+" + re.escape(s.text[:40]))
    return any(sec.number == s.section and pat.search(sec.text or "") for sec in ctx.report.sections)


def _check(ctx: Ctx, s: Sentence, ls: Listing):
    w = ls.whole
    if w.value is None or _approx(w) or any(p.value is None or _approx(p) for p in ls.parts):
        return None
    if not all(_compatible(w, p, ls.desc) for p in ls.parts):
        return None
    if _stock_and_flow(s, ls):
        return None
    subset = ls.trigger.startswith("trong đó") and not _partition(ls)
    if ls.trigger == ":" and len(ls.parts) < 2:
        return None
    total = sum(p.scaled for p in ls.parts)
    whole = w.scaled
    tol = 1e-6 * max(1.0, whole) + sum(_rounding(m) for m in ls.parts + [w])
    computed = total / w.scale
    parts_text = " + ".join(_written(p) for p in ls.parts)
    if subset or len(ls.parts) < 2:
        big = [p for p in ls.parts if p.scaled > whole + tol]
        if not big:
            return None
        p = big[0]
        computed = p.scaled / w.scale
        variant = "exceeds"
        parts_text = _written(p)
    elif ls.rest or _partial(ls) or _examples(ls) or (
            ls.trigger.startswith("trong đó") and not ls.closed and not _known_partition(ls)
            and not _classified(ls)) or (ls.trigger == "(" and not (ls.closed and _partition(ls))):
        if total <= whole + tol:  # an open list may leave parts out
            return None
        variant = "exceeds"
    else:
        if abs(total - whole) <= tol:
            return None
        variant = "default"
    return make_flag(
        "count_mismatch", variant,
        {"stated": w.raw, "unit": w.unit_text or w.unit, "computed": computed, "parts": parts_text},
        section=s.section, stated=w.raw, computed=as_number(computed), expected=as_number(computed),
        sentence=s.text, location=ctx.locate(s, w.raw),
        evidence={"sentence": s.text, "whole": f"{w.raw} {w.unit_text or w.unit}".strip(),
                  "parts": [_written(p) for p in ls.parts], "trigger": ls.trigger,
                  "remainder_part": ls.rest, "mode": "subset" if subset else "complete",
                  "readings": [prose_reading(s.text, w.raw, "stated", s.section)] + [
                      prose_reading(s.text, p.raw, "part", s.section) for p in ls.parts]})
