"""reference_mismatch: one cited document written with conflicting codes.

"Chỉ thị số 04-CT/TW của Ban Thường vụ Tỉnh ủy Quảng Ninh" and "Chỉ thị số 04-CT/TU … của Ban
Thường vụ Tỉnh ủy Quảng Ninh": same kind, same number, the same issuer named — one document,
two codes. A provincial Party committee's documents are /TU, the Central Committee's /TW, so the
expected code is the one consistent with the named issuer; failing that, the majority. Two codes
are only taken for one document when the occurrences name the same issuer (or one's issuer
contradicts its own code) and do not carry different dates — 04-CT/TW and 04-CT/TU may well be
two real documents.

The same number, kind and day with no issuer named for one of them and no subject to tell them
apart are also one document ("Quyết định số 118/QĐ-UBND ngày 12/12/2024 công nhận …" and "theo
Quyết định số 118/QĐ-VHTT ngày 12/12/2024").

Citations come from Report.references and from the report's own text (title, headings, body),
so the check works whichever extractor found them.

When the codes are written equally often and the named issuer has no known code, the expected
one is the code the issuer's name spells best (its initials: "Trung tâm Y tế huyện" → TTYT
rather than YT, "Hội Nông dân huyện" → HND rather than HPN), else the report's own code (an office
cites its own documents), else the code of the citation that gives a date. An issuer known by a
code that only one of the codes begins with expects that one (the Central Youth Union, "Trung
ương": /TWĐTN, not /TĐTN). One issuer may be named in full once and shortened once ("Ban Thường
vụ Hội LHPN huyện Nho Quan", "Hội LHPN huyện"): one name inside the other, of three words or
more or with the same date. A code may end in its drafting department ("08-HD/TWĐTN-BTC"), and
a scan may read a space after its hyphen ("27/KH- UBND").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from checks.context import Ctx
from checks.registry import make_flag, rule
from checks.text import fold, split_sentences, words
from models.document import Provenance
from models.report import Severity

_UP = "A-ZĐÂĂÊÔƠƯ"
# A party-style code may end in the drafting department ("08-HD/TWĐTN-BTC": TWĐTN issues it).
PARTY = re.compile(rf"(?<![\w/\-])(\d{{1,4}})\s?-\s?([{_UP}][A-Za-zĐđ]{{0,5}})\s?/\s?([{_UP}][{_UP}a-z]{{1,12}})"
                   rf"(?:-[{_UP}][{_UP}]{{1,8}})?(?![\w])")
# A scan may read a space after the hyphen ("27/KH- UBND").
STATE = re.compile(rf"(?<![\w/\-])(\d{{1,5}})(?:/(\d{{4}}))?/([{_UP}][A-Za-zĐđ]{{0,5}})- ?([{_UP}][A-Za-zĐđ&]{{1,15}}(?:-[{_UP}][A-Za-zĐđ&]{{1,12}})?)(?![\w])")
_KIND = re.compile(r"(chỉ thị|nghị quyết|quyết định|kế hoạch|kết luận|chương trình|thông tư|nghị định|"
                   r"công văn|hướng dẫn|báo cáo|thông báo|đề án|quy định|quy chế|tờ trình)\s*(số\s*)?$")
_DATE = re.compile(r"^\s*,?\s*ngày\s+(\d{1,2})\s*(?:/|-|\.|tháng)\s*(\d{1,2})\s*(?:/|-|\.|năm)\s*(\d{4})")
_SUBJECT = re.compile(r"^[^;:()“”\"]{0,160}?\svề\s+(?:việc\s+)?([^,;.:()“”\"…]+)")
_ISSUER = re.compile(r"^\s*(?:,?\s*ngày[^,;()]*?\d{4})?\s*,?\s*(?:\([^)]*\)\s*)?của\s+([^,;.:()“”\"…]+)")

ISSUER_CODES: list[tuple[re.Pattern, set[str]]] = [
    (re.compile(r"trung ương|bộ chính trị|ban bí thư"), {"TW"}),
    (re.compile(r"tỉnh ủy|thành ủy|thị ủy|đảng bộ tỉnh|đảng bộ thành phố|ban thường vụ tỉnh(?! hội)"), {"TU"}),
    (re.compile(r"huyện ủy|đảng bộ huyện"), {"HU"}),
    (re.compile(r"quận ủy|đảng bộ quận"), {"QU"}),
    (re.compile(r"đảng ủy"), {"ĐU", "DU"}),
    (re.compile(r"thủ tướng"), {"TTG"}),
    (re.compile(r"chính phủ"), {"CP"}),
    (re.compile(r"ủy ban nhân dân|ubnd"), {"UBND"}),
    (re.compile(r"hội đồng nhân dân|hđnd"), {"HĐND"}),
]


@dataclass
class Citation:
    code: str  # as written, spaces removed
    number: str
    year: str | None
    type_code: str
    issuer_code: str
    style: str  # party | state
    issuer: str | None
    date: str | None
    section: str | None
    sentence: str
    location: Provenance
    subject: str | None = None  # "về tuyển chọn và gọi công dân nhập ngũ năm 2025"

    @property
    def key(self) -> tuple[str, int, str | None]:
        return (_kind_key(self.type_code), int(self.number), self.year)


def _kind_key(type_code: str) -> str:
    """A kind code as a key; a letter a scan read twice ("QĐĐ") read once where that makes a
    known kind."""
    k = _norm(type_code)
    if k not in _TYPE_NAMES:
        single = re.sub(r"(.)\1+", r"\1", k)
        if single in _TYPE_NAMES:
            return single
    return k


def _norm(code: str) -> str:
    return code.upper().replace("Đ", "D")


def issuer_codes(name: str | None) -> set[str] | None:
    if not name:
        return None
    n = fold(name)
    for pat, codes in ISSUER_CODES:
        if pat.search(n):
            return {_norm(c) for c in codes}
    return None


def parse_citations(text: str, section: str | None, location: Provenance) -> list[Citation]:
    out = []
    for _, sent in split_sentences(text):
        for style, pat in (("party", PARTY), ("state", STATE)):
            for m in pat.finditer(sent):
                if style == "party":
                    number, year, type_code, issuer_code = m.group(1), None, m.group(2), m.group(3)
                else:
                    number, year, type_code, issuer_code = m.group(1), m.group(2), m.group(3), m.group(4)
                rest = sent[m.end():]
                d = _DATE.match(rest)
                date = f"{d.group(3)}-{int(d.group(2)):02d}-{int(d.group(1)):02d}" if d else None
                iss = _ISSUER.match(rest)
                issuer = _trim_issuer(iss.group(1)) if iss else None
                subj = _SUBJECT.match(" " + rest)
                subject = " ".join(subj.group(1).split()[:12]) if subj else None
                out.append(Citation(re.sub(r"\s", "", m.group(0)), number, year, type_code, issuer_code,
                                    style, issuer, date, section, sent, location, subject))
    return out


def _trim_issuer(s: str) -> str:
    s = re.split(r"\s(?:về|tại|nhằm|đến|trong|theo)\s", " " + s + " ")[0]
    return s.strip()


def citations(ctx: Ctx) -> list[Citation]:
    rep = ctx.report
    mine: list[Citation] = []
    if rep.metadata.title:
        mine += parse_citations(rep.metadata.title, None, Provenance())
    for s in rep.sections:
        mine += parse_citations(s.title, s.number, s.location)
        mine += parse_citations(s.text or "", s.number, s.location)
    for r in rep.references:
        if r.kind == "date" or not (r.code or r.raw):
            continue
        found = parse_citations(r.code or r.raw, r.section, r.location)
        if not found:
            continue
        c = found[0]
        c.sentence = r.sentence or c.sentence
        if r.sentence:
            full = [x for x in parse_citations(r.sentence, r.section, r.location) if x.code == c.code]
            if full:
                c.issuer, c.date, c.subject = full[0].issuer, full[0].date, full[0].subject
        c.issuer = r.issuer or c.issuer
        c.date = r.date or c.date
        dup = next((x for x in mine if x.code == c.code and (
            fold(x.sentence) in fold(c.sentence) or fold(c.sentence) in fold(x.sentence))), None)
        if dup is None:
            mine.append(c)
        else:
            if dup.location == Provenance():
                dup.location = r.location
            dup.issuer = dup.issuer or c.issuer
            dup.date = dup.date or c.date
            dup.subject = dup.subject or c.subject
    return mine


def _similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    wa, wb = set(words(a)), set(words(b))
    return len(wa & wb) / max(1, len(wa | wb)) >= 0.6


def _within(a: Citation, b: Citation) -> bool:
    """One issuer's name is the other's, shortened: "Hội LHPN huyện" in "Ban Thường vụ Hội LHPN
    huyện Nho Quan". Taken for one issuer when the shorter name has three words or more, or the
    two citations give the same date."""
    if not a.issuer or not b.issuer:
        return False
    wa, wb = set(words(a.issuer)), set(words(b.issuer))
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) < 2 or not short <= long_:
        return False
    return len(short) >= 3 or (a.date is not None and a.date == b.date)


def _prefixed(cs: list[Citation], codes: set[str]) -> str | None:
    """The one code that begins with the code the named issuer is known by: the Central Youth
    Union's guide is /TWĐTN (TW: "Trung ương"), not /TĐTN."""
    found = set()
    for c in cs:
        for k in issuer_codes(c.issuer) or ():
            found |= {code for code in codes if code.startswith(k) and code != k}
    return found.pop() if len(found) == 1 else None


def _consistent(c: Citation) -> bool | None:
    codes = issuer_codes(c.issuer)
    return None if codes is None else _norm(c.issuer_code) in codes


@rule("reference_mismatch", Severity.WARNING, "Cùng một văn bản được ghi ký hiệu khác nhau",
      "The same document cited with conflicting codes")
def reference_mismatch(ctx: Ctx):
    groups: dict[tuple, list[Citation]] = {}
    for c in citations(ctx):
        groups.setdefault(c.key, []).append(c)
    for key, cs in groups.items():
        codes = {_norm(c.issuer_code) for c in cs}
        if len(codes) < 2:
            continue
        if not _same_document(cs):
            continue
        named: Counter = Counter()
        for c in cs:
            for code in issuer_codes(c.issuer) or ():
                if code in codes:
                    named[code] += 1
        prefixed = _prefixed(cs, codes) if not named else None
        if named:
            expected = named.most_common(1)[0][0]
            why = "issuer"
        elif prefixed is not None:
            expected, why = prefixed, "issuer_prefix"
        else:
            counts = Counter(_norm(c.issuer_code) for c in cs).most_common()
            if len(counts) > 1 and counts[0][1] == counts[1][1]:
                tied = {code for code, n in counts if n == counts[0][1]}
                found = _tie_break(cs, tied, ctx)
                if found is None:
                    continue
                expected, why = found
            else:
                expected, why = counts[0][0], "majority"
        exp_c = next(c for c in cs if _norm(c.issuer_code) == expected)
        for code in sorted(codes - {expected}):
            odd = [c for c in cs if _norm(c.issuer_code) == code]
            first = next((c for c in odd if c.location != Provenance()), odd[0])
            issuer = max((c.issuer for c in cs if c.issuer), key=len, default=None)  # the fullest name
            params = {"kind": _kind_name(first), "number": first.number, "issuer": issuer,
                      "stated": first.code, "expected": exp_c.code}
            variant = "default"
            if issuer is None:  # one document by its day and subject: say so
                d = first.date or exp_c.date or ""
                variant, params["subject"] = "same_day", first.subject or exp_c.subject or "?"
                params["date"] = "/".join(reversed(d.split("-"))) if d else "?"
            yield make_flag(
                "reference_mismatch", variant, params,
                section=first.section, stated=first.code, expected=exp_c.code,
                sentence=first.sentence, location=first.location,
                suggestion=f"{first.code} → {exp_c.code}",
                evidence={"occurrences": [{"code": c.code, "section": c.section, "issuer": c.issuer,
                                           "date": c.date, "sentence": c.sentence} for c in cs],
                          "expected_by": why})


def _initials(name: str) -> str:
    """'Sở Giáo dục và Đào tạo' → 'SGDVDT' (Đ as D, as _norm writes codes)."""
    return _norm("".join(w[0] for w in words(name) if w[0].isalpha()))


def _fit(code: str, initials: str) -> int:
    """How many leading letters of an issuer code follow, in order, the initials of the
    issuer's name: TTYT in 'Trung tâm Y tế huyện' 4, YT 2; HND in 'Hội Nông dân huyện' 3, HPN 1;
    HĐND in 'Hội đồng nhân dân tỉnh' 4."""
    i = n = 0
    for ch in _norm(code):
        j = initials.find(ch, i)
        if j < 0:
            break
        n += 1
        i = j + 1
    return n


def _own_code(ctx: Ctx) -> str | None:
    """The issuer code of the report's own number ("20-BC/HNDT" → HNDT, "45/BC-UBND" → UBND)."""
    num = ctx.report.metadata.report_number or ""
    m = PARTY.search(num) or STATE.search(num)
    if not m:
        return None
    return _norm(m.group(3) if m.re is PARTY else m.group(4))


def _tie_break(cs: list[Citation], tied: set[str], ctx: Ctx) -> tuple[str, str] | None:
    """The expected code among codes written equally often: the one the issuer's name spells
    best (its initials), else the report's own code (an office cites its own documents), else
    the code of the citations that give a date (the full citation, not the short repeat)."""
    names = {c.issuer for c in cs if c.issuer}
    if names:
        best: dict[str, int] = {code: max(_fit(code, _initials(n)) for n in names) for code in tied}
        top = max(best.values())
        winners = [code for code, v in best.items() if v == top]
        if top > 0 and len(winners) == 1:
            return winners[0], "issuer_initials"
    own = _own_code(ctx)
    if own in tied:
        return own, "own_code"
    dated = {_norm(c.issuer_code) for c in cs if c.date} & tied
    if len(dated) == 1:
        return dated.pop(), "dated_citation"
    return None


def _same_document(cs: list[Citation]) -> bool:
    for a in cs:
        for b in cs:
            if _norm(a.issuer_code) >= _norm(b.issuer_code):
                continue
            if a.date and b.date and a.date != b.date:
                continue
            if a.date and a.date == b.date and _similar(a.subject, b.subject):
                return True  # same number, kind, day and subject: one document, whoever issued it
            if a.date and a.date == b.date and not (a.issuer and b.issuer) \
                    and not (a.subject and b.subject):
                return True  # same number, kind and day, nothing said that sets them apart
            ia, ib = issuer_codes(a.issuer), issuer_codes(b.issuer)
            if ia is not None and ia == ib:
                return True
            if _similar(a.issuer, b.issuer) or _within(a, b):
                return True
            if (_consistent(a) is False and ia is not None and _norm(b.issuer_code) in ia) or \
               (_consistent(b) is False and ib is not None and _norm(a.issuer_code) in ib):
                return True
    return False


_TYPE_NAMES = {"CT": "Chỉ thị", "NQ": "Nghị quyết", "QD": "Quyết định", "KH": "Kế hoạch",
               "KL": "Kết luận", "CTR": "Chương trình", "TT": "Thông tư", "ND": "Nghị định",
               "HD": "Hướng dẫn", "BC": "Báo cáo", "TB": "Thông báo", "CV": "Công văn"}


def _kind_name(c: Citation) -> str:
    return _TYPE_NAMES.get(_norm(c.type_code), c.type_code)
