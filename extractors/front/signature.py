"""The signature block: who signs and with what title.

The right column of the closing block reads, top to bottom: the authority ("TM. UBND PHƯỜNG",
"KT. CHỦ TỊCH"), the signer's title ("PHÓ CHỦ TỊCH", "P.CHỦ TỊCH", "GIÁM ĐỐC"), room for the
signature and seal, and last the signer's name. The name is taken only when the last line
really looks like a person's name; a title is written in title case as officials write it
("P.Chủ tịch", "Phó Chủ tịch", "Giám đốc"). Lines of 'Nơi nhận' (recipients) are left out; in a
PDF or scan they may share a line with the right column ("- Phòng GD&ĐT (b/c); GIÁM ĐỐC").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.sections.regions import AUTHORITY_RX, RECIPIENTS_RX, ROLE_RX, Line
from extractors.text.vntext import cap_first, fold, is_upper_text, squash, title_case

SURNAMES = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "truong", "lam", "mai", "trinh", "dao", "cao", "luong",
    "ha", "luu", "ton", "thai", "quach", "doan", "la", "kieu", "tang", "hua", "chu", "khuc",
    "van", "vuong", "tong", "lai", "giang", "nong", "ong", "thach", "lo", "ma", "mac", "au",
    "diep", "tieu", "chau", "bach", "dam", "khong", "quang", "lu", "nghiem", "ung", "trieu",
    "tu", "luc", "kim", "phung", "to", "banh", "lang", "y", "ksor", "nie", "h", "rah", "lang",
    "son", "danh", "thach", "kha", "han", "nham", "quan", "ninh", "lieu", "vi", "khuat", "ta",
}
_NOT_NAME = {
    "ubnd", "ban", "hoi", "so", "phong", "uy", "tinh", "huyen", "xa", "phuong", "truong",
    "chu", "tich", "giam", "doc", "tm", "kt", "tl", "ky", "ten", "dong", "dau", "noi", "nhan",
    "luu", "vt", "van", "thu",
}
_MIDDLE = {"van", "thi", "duc", "huu", "dinh", "ngoc", "minh", "quang", "xuan", "thanh", "kim",
           "hong", "cong", "quoc", "manh", "tien", "trung", "thu", "anh", "bich", "dieu"}
_SIGNED = re.compile(r"^\(?\s*(?:da\s*ky|ky\s*(?:ten|,|va)|ky\s*ten\s*,?\s*dong\s*dau)")
_ROLE_SPLIT = re.compile(r"\b(?:p\s*\.\s*|pho\s+)?(?:chu tich|giam doc|truong ban|truong phong|hieu truong|"
                         r"bi thu|tong thu ky|chanh van phong|tong giam doc|chu nhiem|thu truong|"
                         r"cuc truong|vu truong|chanh an|vien truong|truong doan|to truong|truong cong an|"
                         r"tram truong|doi truong|chi huy truong)\b")


@dataclass
class Signature:
    signer: str | None = None
    title: str | None = None
    authority: str | None = None


# what may stand before a signer's name: a rank ("Đại úy", "Thiếu tá"), a degree or a
# professional title ("TS.", "ThS.", "BS.", "Bác sĩ", "KS."), an honour ("NGƯT"); folded
_HONORIFIC = re.compile(
    r"^(?:(?:dai|thuong|trung|thieu)\s+(?:tuong|ta|uy)"
    r"|(?:p?gs|ts|ths|bs|bsck\s*i{1,2}|cn|ks|ds|ls|ncs)\s*\.?(?:\s*(?:ts|ths|bs)\s*\.?)?"
    r"|bac\s+si|bac\s+sy|duoc\s+si|ky\s+su|luat\s+su|tien\s+si|thac\s+si|nha\s+giao\s+uu\s+tu"
    r"|ngut|ngnd|thay\s+thuoc\s+uu\s+tu|ttut|ttnd)[\s.:,]+(?=\S)")


def strip_honorific(text: str) -> str:
    """The name without a rank or title written before it: 'Đại úy Hà Văn Sơn' → 'Hà Văn Sơn',
    'BS. Lê Thị Hoa' → 'Lê Thị Hoa'. Only when a name remains."""
    t = squash(text).strip(" .,;")
    m = _HONORIFIC.match(fold(t))
    if not m:
        return t
    rest = t[m.end():].strip()
    return rest if looks_like_name(rest) else t


def signer_name(text: str) -> str | None:
    """The signer's name a signature line holds: the line itself ('Đại úy Hà Văn Sơn' → 'Hà Văn
    Sơn'), or, when a PDF or scan ran two signers' names side by side into one line ('Lò Thị
    Mai Hoàng Văn Tuấn': NGƯỜI LẬP BIỂU | THỦ TRƯỞNG ĐƠN VỊ), the right one, who signs for
    the body."""
    t = strip_honorific(text)
    if looks_like_name(t):
        return t
    words = t.split()
    if not 6 <= len(words) <= 10:
        return None
    fw = [fold(w) for w in words]
    best, best_score = None, None
    for k in range(2, len(words) - 1):
        left, right = " ".join(words[:k]), " ".join(words[k:])
        if fw[k] not in SURNAMES or not (looks_like_name(strip_honorific(left)) and looks_like_name(right)):
            continue
        # the second name starts with a surname that is no common middle name ("Văn", "Thị"),
        # and each name's second word is a middle name more often than not
        score = 2 * (fw[k] not in _MIDDLE) + (fw[1] in _MIDDLE) + (fw[k + 1] in _MIDDLE) \
            - 0.5 * abs(2 * k - len(words))
        if best_score is None or score > best_score:
            best, best_score = right, score
    return best


def looks_like_name(text: str) -> bool:
    """'Vũ Đức Quynh', 'NGUYỄN NGỌC PHÚC' — two to five capitalised words, no titles."""
    t = squash(text).strip(" .,;")
    words = t.split()
    if not 2 <= len(words) <= 5:
        return False
    if any(not w.isalpha() for w in words):
        return False
    if not all(w[0].isupper() for w in words):
        return False
    f = [fold(w) for w in words]
    if AUTHORITY_RX.match(fold(t)) or ROLE_RX.match(fold(t)):
        return False
    if t.isupper():
        return f[0] in SURNAMES and not any(w in _NOT_NAME - SURNAMES for w in f)
    if not all(w[1:] == w[1:].lower() for w in words):
        return False
    # a body's name starts with its kind ("Phòng …", "Ban …"); "Phương", "Phong", "Uy" end many
    # a person's name ("Đỗ Thị Minh Phương")
    return f[0] not in ("ubnd", "ban", "hoi", "phong", "uy", "tinh", "huyen", "phuong", "xa", "thi", "so", "cuc", "chi")


def title_of_role(text: str) -> str:
    """'P.CHỦ TỊCH' → 'P.Chủ tịch', 'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch', 'GIÁM ĐỐC' → 'Giám đốc'."""
    t = squash(text).lower()
    t = re.sub(r"^(p\s*\.\s*)(\w)", lambda m: "P." + m.group(2).upper(), t)
    t = re.sub(r"^(phó\s+)(\w)", lambda m: "Phó " + m.group(2).upper(), t)
    return cap_first(t)


def _right_part(text: str) -> str:
    """From a line mixing recipients and signature ('- Lưu. GIÁM ĐỐC'): the trailing capitals."""
    t = squash(text)
    f = fold(t)
    m = RECIPIENTS_RX.match(f)
    if m:
        t = t[m.end():].lstrip(" :")
        if not t:
            return ""
        if AUTHORITY_RX.match(fold(t)) or is_upper_text(t):
            return t
    if not t.startswith(("-", "+", "•", "*")):
        return t
    toks = t.split()
    tail: list[str] = []
    for tok in reversed(toks):
        if is_upper_text(tok, 1) or tok in (".",):
            tail.append(tok)
            continue
        break
    if len(tail) >= 2 or (tail and ROLE_RX.match(fold(tail[0]))):
        return " ".join(reversed(tail))
    # a name at the end of a recipients line
    for n in (4, 3, 2):
        cand = " ".join(toks[-n:])
        if len(toks) > n and looks_like_name(cand) and fold(toks[-n]) in SURNAMES:
            return cand
    return ""


def signature_lines(lines: list[Line]) -> list[str]:
    """The signature column's lines, recipients left out."""
    rec_cols = {ln.col for ln in lines if ln.col is not None and RECIPIENTS_RX.match(fold(ln.text))}
    # a reader may run the recipients' lines together: "Nơi nhận: TM. … - Phòng …; GIÁM ĐỐC - Lưu."
    lines = [Line(piece, ln.col, ln.block) for ln in lines
             for piece in re.split(r"\s+(?=[-+•]\s)", squash(ln.text)) if piece]
    out = []
    for ln in lines:
        if ln.col is not None and ln.col in rec_cols:
            continue
        part = _right_part(ln.text)
        if part:
            out.append(part)
    return out


def read_signature(lines: list[Line]) -> Signature:
    sig = Signature()
    sl = signature_lines(lines)
    role_at = None
    for k, line in enumerate(sl):
        f = fold(line)
        if not is_upper_text(line, 2):
            continue
        if AUTHORITY_RX.match(f):
            sig.authority = line
            roles = list(_ROLE_SPLIT.finditer(f))
            last = roles[-1] if roles else None
            if len(roles) >= 2:  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" on one line
                sig.title = title_of_role(line[last.start():])
                role_at = k
            elif last is not None and not f[last.end():].strip(" .") and \
                    AUTHORITY_RX.match(f).end() - 1 < last.start() and \
                    not re.search(r"\b(?:ban|hoi dong)\s*$", f[:last.start()]):
                # "T/M. BCH HIỆP HỘI DOANH NGHIỆP CHỦ TỊCH": the body, then the signer's title
                # (not "TM. BAN GIÁM ĐỐC", a board, nor "KT. CHỦ TỊCH", the principal)
                sig.title = title_of_role(line[last.start():])
                role_at = k
            continue
        if ROLE_RX.match(f):
            sig.title = title_of_role(line)
            role_at = k
    names = [k for k, line in enumerate(sl) if signer_name(line) and not _SIGNED.match(fold(line))]
    if names and (role_at is None or names[-1] > role_at):
        name = signer_name(sl[names[-1]]) or ""
        sig.signer = title_case(name) if name.isupper() else name
    return sig
