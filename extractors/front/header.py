"""The header block of a Vietnamese administrative document: issuing body, number, place, date.

The left column names the issuing body (a parent body above it: "UBND PHƯỜNG ĐỨC CHÍNH" /
"TRUNG TÂM HỌC TẬP CỘNG ĐỒNG") and the number ("Số: 12/BC-TTHTCĐ"); the right column holds the
national motto and the place-and-date line. A PDF or a scan may give both columns on one line
("UBND PHƯỜNG ĐỨC CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"): the motto is cut out wherever
it stands. OCR slips ("Sô:", lost accents) are matched on folded text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.front.placedate import PlaceDate, find_place_date
from extractors.sections.regions import Line
from extractors.front.acronyms import capitalise_places, is_acronym
from extractors.text.vntext import CaseModel, fold, is_upper_text, restore_case, squash, title_case

# the national motto, folded; OCR may break it over lines ("… CHỦ NGHĨA" / "VIỆT NAM")
_MOTTO = [
    re.compile(r"cong\s*hoa\s*xa\s*hoi\s*chu\s*ngh[iĩ]a(?:\s*viet\s*nam)?"),
    re.compile(r"doc\s*lap\s*[-–—.,]*\s*tu\s*do\s*[-–—.,]*\s*hanh\s*phuc"),
    re.compile(r"^\s*viet\s*nam\s*$"),
    re.compile(r"^\s*viet\s*nam\s+(?=\S)"),  # the motto's last words, wrapped onto the next line
    re.compile(r"^[\s\-–—_=*.]+$"),
]
_DRAFT = re.compile(r"\b(?:du\s*thao)+\b")
# "Số: 12/BC-TTHTCĐ"; OCR: "Sô:", "S6:"
_NUMBER = re.compile(r"(?<![^\W\d_])(?:s[o0-9]\s*[:.;]?|se\s*[:.;])\s*(?=[\d…._/])")
# typists put spaces around the dashes: "Số 25 - BC/ĐU", "Số: 15/BC - UBND" (dropped on reading)
_NUMBER_TOKEN = re.compile(r"\s*((?:[\d…._·]+\s?)?(?:[-–]\s*)?[^\s,;/]*)/\s*([^\s,;]+(?:\s+[-–]\s*[A-ZĐ][A-ZĐ0-9&.\-]*(?=[\s,;]|$))?)")

ADMIN_UNITS = ["thi tran", "thi xa", "thanh pho", "tp.", "phuong", "xa", "quan", "huyen", "tinh"]
_ORG_START = (
    "uy ban", "ubnd", "hoi dong", "hdnd", "so ", "phong ", "ban ", "trung tam", "truong ",
    "hiep hoi", "hoi ", "cong an", "dang uy", "dang bo", "chi bo", "tinh uy", "thanh uy",
    "huyen uy", "thi uy", "quan uy", "bo ", "tong cuc", "cuc ", "chi cuc", "vien ", "van phong",
    "mat tran", "uy ban mat tran", "doan ", "lien doan", "cong ty", "tap doan", "ngan hang",
    "benh vien", "toa an", "kho bac", "bao hiem", "thanh tra", "chi nhanh", "cong doan",
    "hop tac xa", "ubmttq", "thanh doan", "tinh doan", "huyen doan",
)


@dataclass
class Header:
    issuer: str | None = None
    issuer_locality: str | None = None  # "phường Đức Chính"
    units: list[str] = field(default_factory=list)  # the left column's bodies, top to bottom
    report_number: str | None = None
    place_date: PlaceDate | None = None


def strip_motto(text: str) -> str:
    """The line without the national motto (wherever it stands) and 'DỰ THẢO' marks."""
    t = squash(text)
    for rx in _MOTTO + [_DRAFT]:
        f = fold(t)
        m = rx.search(f)
        while m:
            t = (t[:m.start()] + " " + t[m.end():]).strip()
            f = fold(t)
            m = rx.search(f)
    return squash(t).strip(" -–—")


def read_number(text: str) -> tuple[str | None, str, str]:
    """('12/BC-TTHTCĐ', text before 'Số', text after the number) — blank serials kept as
    written without their dots: 'Số: ……/BC-UBND' → '/BC-UBND'."""
    f = fold(text)
    m = _NUMBER.search(f)
    if not m:
        return None, text, ""
    tail = text[m.end():]
    t = _NUMBER_TOKEN.match(tail)
    if not t:
        return None, text, ""
    serial = re.sub(r"^[…._·\s]+|[…._·\s]+$", "", t.group(1)).replace(" ", "")
    code = re.sub(r"\s+", "", t.group(2))
    number = f"{serial}/{code}".rstrip(".,;:")
    return number, text[:m.start()].strip(), tail[t.end():].strip()


def locality(text: str) -> str | None:
    """The administrative unit a name ends with: '… PHƯỜNG ĐỨC CHÍNH' → 'phường Đức Chính'."""
    words = squash(text).split()
    fw = [fold(w).strip(",.;:") for w in words]
    for i in range(len(words) - 1, -1, -1):
        for unit in ADMIN_UNITS:
            parts = unit.split()
            n = len(parts)
            if fw[i:i + n] == parts and i + n < len(words):
                if unit == "xa" and i > 0 and fw[i - 1] == "thi":
                    continue
                name = " ".join(words[i + n:]).strip(" ,.;:")
                if not name or any(ch.isdigit() for ch in name):
                    continue
                unit_words = " ".join(words[i:i + n]).lower()
                return f"{unit_words} {title_case(name) if is_upper_text(name, 2) else name}"
    return None


def place_of(loc: str | None) -> str | None:
    """'phường Đức Chính' → 'Đức Chính'."""
    if not loc:
        return None
    words = loc.split()
    for unit in ADMIN_UNITS:
        n = len(unit.split())
        if fold(" ".join(words[:n])) == unit:
            return " ".join(words[n:]) or None
    return loc


def _is_org_start(text: str) -> bool:
    return fold(text).startswith(_ORG_START)


def _split_units(line: str) -> list[str]:
    """'UBND TỈNH BÌNH THUẬN HIỆP HỘI DOANH NGHIỆP' → the parent body, then the issuer: a new
    body starts where an organisation word follows a place name."""
    words = line.split()
    fw = [fold(w) for w in words]
    cuts = []
    seen_unit = False
    for i in range(1, len(words)):
        if any(fw[i - 1 - k:i] == u.split() for u in ADMIN_UNITS for k in range(len(u.split()) - 1, len(u.split()))):
            seen_unit = True
            continue
        if seen_unit and _is_org_start(" ".join(words[i:i + 3])) and i >= 2:
            cuts.append(i)
            seen_unit = False
    out, prev = [], 0
    for c in cuts:
        out.append(" ".join(words[prev:c]))
        prev = c
    out.append(" ".join(words[prev:]))
    return [x for x in out if x]


def _units(lines: list[str]) -> list[str]:
    """Join wrapped lines: a line that does not open with an organisation word continues the
    one above it ('ỦY BAN NHÂN DÂN PHƯỜNG MẠO' / 'KHÊ')."""
    units: list[str] = []
    for line in lines:
        for piece in _split_units(line):
            if units and (not _is_org_start(piece) or units[-1].endswith((",", "VÀ", "và", "-"))):
                units[-1] = f"{units[-1]} {piece}"
            else:
                units.append(piece)
    return units


def _join_broken(lines: list[Line]) -> list[Line]:
    """Rejoin a line a narrow column broke: 'Số:' / '/BC-SNV', 'Lâm Đồng, ngày' / 'tháng 11 …'."""
    out: list[Line] = []
    for ln in lines:
        if out and out[-1].col == ln.col and out[-1].block == ln.block:
            prev = fold(out[-1].text).rstrip()
            if re.search(r"(?:^|\s)s[o0-9e]\s*[:.;]?$|,\s*ngay$|ngay\s*\d{0,2}\s*thang\s*\d{0,2}$", prev):
                out[-1] = Line(f"{out[-1].text} {ln.text}", ln.col, ln.block)
                continue
        out.append(ln)
    return out


def read_header(lines: list[Line], case: CaseModel | None = None) -> Header:
    h = Header()
    org_lines: list[str] = []
    for ln in _join_broken(lines):
        text = strip_motto(ln.text)
        if not text:
            continue
        number, before, after = read_number(text)
        pieces = [text]
        if number and not h.report_number:
            h.report_number = number
            pieces = [x for x in (before, after) if x]
        for text in pieces:
            pd = find_place_date(text)
            if pd and (pd.date or pd.place) and not h.place_date:
                h.place_date = pd
                text = text[:pd.start].strip()
                # the place name itself is not part of the left column
                if pd.place and text.endswith(pd.place):
                    text = text[:-len(pd.place)].strip()
                if not text:
                    continue
            if ln.col == 1:
                continue
            f = fold(text)
            if f.startswith(("v/v", "ve viec", "kinh gui")) or not is_upper_text(text, 2):
                continue
            org_lines.append(text)
    h.units = _units(org_lines)
    if h.units:
        issuer = h.units[-1]
        loc = locality(issuer)
        place = h.place_date.place if h.place_date else None
        parent_places = [place_of(locality(u)) for u in h.units[:-1]]
        if loc is None and any(p and fold(issuer).endswith(fold(p)) for p in [place, *parent_places]):
            loc = ""  # named after its place already: "TRƯỜNG TIỂU HỌC HỢP ĐỒNG"
        if loc is None:
            for parent in reversed(h.units[:-1]):
                loc = locality(parent)
                if loc:
                    issuer = f"{issuer} {loc.upper()}"
                    break
        h.issuer_locality = loc or None
        name = capitalise_places(restore_case(issuer, case, is_acronym))
        if loc:  # the place name in capitals, the unit word in lower case
            k = fold(name).rfind(fold(loc))
            if k >= 0:
                name = name[:k] + loc + name[k + len(loc):]
        h.issuer = name[:1].upper() + name[1:]
    return h
