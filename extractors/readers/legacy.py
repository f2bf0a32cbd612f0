"""Legacy Vietnamese encodings (TCVN3/ABC, VNI, VISCII) → Unicode NFC, decided from the characters.

Word and PDF readers hand over text as Unicode code points, but a run typed in a legacy font
carries the font's 8-bit codes: TCVN3 "céng hßa" is "cộng hòa", VNI "Coäng hoøa" likewise.
Which encoding a run is in is decided here from the CHARACTERS; the font name is only a hint
(real files put ".VnTime" on text that is already Unicode, and Unicode fonts on TCVN3 text).

How a run is decided
  1. Vietnamese letters beyond Latin-1 (ư ơ đ ộ …) or combining tone marks: certainly Unicode,
     no 8-bit legacy code surfaces as those.
  2. Otherwise the run is read each way (as is, TCVN3, VNI, VISCII) and each reading is scored:
     +1 per word that is a valid Vietnamese syllable (onset + rime + at most one tone, checked
     stops only with sắc/nặng), -1 per word that is not, -1 per character no Vietnamese text
     has (¸ µ ® « ß ø ï …, the soft hyphen). A reading's margin is its score minus the score of
     the text as it is.
  3. The margins are weighed with context, for runs the characters cannot settle alone ("6 ",
     "cá" = "cỏ" in TCVN3, "gd&®t "): the pooled verdict of all runs in the same font (+2), of
     the whole document (+1), the font name (.Vn* → TCVN3, VNI-* → VNI: +1; among legacy
     readings a legacy font's name counts for 3), VISCII -1 (rare in Word files). Ties go to
     Unicode: when in doubt, good text is left alone.
TCVN3 has no toned capitals: typists set capitals in ".VnTimeH"-style fonts (name ending in
H), which draw the lower-case codes as capitals, so a TCVN3 run in such a font is upper-cased.
TCVN3 "ư" is byte 0xAD, the soft hyphen: it decodes to "ư" in TCVN3 runs and is dropped from
Unicode runs. Everything leaves NFC.

Why viparse's tables, but our own detection (evaluated against viparse 0.1.31)
  - TCVN3 table (viparse.normalize.tcvn3): all 74 entries agree with glibc's TCVN5712-1
    charmap (checked byte by byte with iconv); used as is.
  - VISCII table: identical to glibc's VISCII for all 256 bytes; used, plus the reverse of the
    cp1252 surfacing of bytes 0x80-0x9F (Word shows byte 0x93 as U+201C), which viparse keys
    only on the Latin-1 surface.
  - VNI table: used with corrections. Checked against the VNI-Windows chart (and the xvnkb
    keyboard's table): ẳ/Ẳ are "aú"/"AÚ" (absent in viparse), ỵ/Ỵ are "î"/"Î" (viparse guesses
    "yï"/"YÏ", which never occurs), and its derived "iø"/"iù" entries do not exist in VNI
    (ì/í are their own codes): six wrong entries dropped, four added.
  - Detection (viparse.normalize.detector) is not used: it decides from the font name first,
    exactly the pitfall real files have, and its content mode scores a whole text with a
    unigram model that cannot decide a short run and never resolves Unicode-vs-legacy ties
    from context. It knows nothing of H fonts or of 0xAD in Unicode runs.

Interface: `decode_runs(runs) -> runs`, `document_encoding(blocks) -> Encoding` (MIXED when
runs of several encodings carry Vietnamese text), `decode_text(text, font=None, encoding=None)
-> (text, Encoding)` for PDF text, and `Decoder(samples)`, which pools the evidence of a whole
document first (the docx and PDF readers use it: `decide`, `decode_text`, `make_run`,
`encoding`). `find_mojibake(text)` lists words that still look undecoded.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from pydantic import Field
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.viscii import VISCII
from viparse.normalize.vni import VNI

from models.document import Encoding, Paragraph, Run, Table

LEGACY = (Encoding.TCVN3, Encoding.VNI, Encoding.VISCII)  # also the tie-break order

# ---------------------------------------------------------------------------------------------
# Conversion tables
# ---------------------------------------------------------------------------------------------
# Word keeps the text of a symbol-charset font in U+F020-U+F0FF: fold it back to the byte.
_PUA_TO_BYTE = {0xF000 + b: chr(b) for b in range(0x20, 0x100)}
# Word/LibreOffice surface bytes 0x80-0x9F through cp1252 (0x93 → U+201C): fold them back.
_CP1252_TO_BYTE: dict[int, str] = {}
for _b in range(0x80, 0xA0):
    try:
        _CP1252_TO_BYTE[ord(bytes([_b]).decode("cp1252"))] = chr(_b)
    except UnicodeDecodeError:
        pass

_TCVN3_TABLE = {ord(src): dst for src, dst in TCVN3.pairs}
_TCVN3_TABLE.update({k: _TCVN3_TABLE.get(ord(v), v) for k, v in _PUA_TO_BYTE.items()})

_VISCII_BYTES = {ord(src): dst for src, dst in VISCII.pairs}
_VISCII_TABLE = dict(_VISCII_BYTES)
for _src, _byte in {**_CP1252_TO_BYTE, **_PUA_TO_BYTE}.items():
    _VISCII_TABLE[_src] = _VISCII_BYTES.get(ord(_byte), _byte)

_VNI_FIXES_DROP = {"yï", "YÏ", "iø", "iù", "IØ", "IÙ"}
_VNI_FIXES_ADD = {"aú": "ẳ", "AÚ": "Ẳ", "î": "ỵ", "Î": "Ỵ"}
_VNI_TABLE = {s: d for s, d in VNI.pairs if s not in _VNI_FIXES_DROP} | _VNI_FIXES_ADD
_VNI_RE = re.compile("|".join(re.escape(s) for s in sorted(_VNI_TABLE, key=len, reverse=True)))

# In a PDF text layer a .VnTime 0xAD (ư) comes out as U+2212 and 0xB7 (ã) as U+2219.
_PDF_GLYPHS = re.compile(r"(?<=[^\W\d_])[\u2212\u2219]|[\u2212\u2219](?=[^\W\d_])")


def _tcvn3(text: str) -> str:
    if "\u2212" in text or "\u2219" in text:
        text = _PDF_GLYPHS.sub(lambda m: "\xad" if m.group(0) == "\u2212" else "\xb7", text)
    return text.translate(_TCVN3_TABLE)


def _vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: _VNI_TABLE[m.group(0)], text.translate(_PUA_TO_BYTE))


def _viscii(text: str) -> str:
    return text.translate(_VISCII_TABLE)


DECODERS: dict[Encoding, Callable[[str], str]] = {
    Encoding.TCVN3: _tcvn3,
    Encoding.VNI: _vni,
    Encoding.VISCII: _viscii,
}

# ---------------------------------------------------------------------------------------------
# Vietnamese syllables
# ---------------------------------------------------------------------------------------------
_ONSETS = sorted(["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
                  "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""],
                 key=len, reverse=True)
_RIMES = frozenset("""
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oong ooc
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uân uâng uât uây uê uêch uênh uôc uôi uôm uôn uông uôt uơ
uy uya uych uyên uyêt uynh uyp uyt uyu
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
""".split())
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_STOP_TONES = {"\u0301", "\u0323"}  # a rime ending in c/ch/p/t takes sắc or nặng only
_VIET_ALPHABET = frozenset("abcdeghiklmnopqrstuvxyăâêôơưđ")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether `word` (any case) is a well-formed Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if not base or any(c not in _VIET_ALPHABET for c in base):
        return False
    for onset in _ONSETS:
        if base.startswith(onset):
            rime = base[len(onset):]
            if rime in _RIMES or (onset == "gi" and rime == ""):
                if tones and rime.endswith(("c", "ch", "p", "t")) and tones[0] not in _STOP_TONES:
                    continue
                return True
    return False


_LAST_LETTERS = re.compile(r"[^\W\d_]+$")
_FIRST_LETTERS = re.compile(r"^[^\W\d_]+")


def broken_syllable(a: str, b: str) -> bool:
    """A line break fell inside a word: the letters meeting at it make one Vietnamese syllable
    and are not two ("…/t" + "háng" is "tháng" broken, "Chuyể" + "n viện" is "Chuyển"; "phòng" +
    "hộ" are two words)."""
    x, y = _LAST_LETTERS.search(a), _FIRST_LETTERS.match(b)
    if not x or not y:
        return False
    x, y = x.group(), y.group()
    return not (is_syllable(x) and is_syllable(y)) and is_syllable(x + y)


_TOKEN = re.compile(r"[^\W\d_]+")
# Characters no Vietnamese text contains, but undecoded legacy text is full of.
_ALIEN = frozenset(
    "\u00ad¡¢£¤¥¦§¨©ª«¬®¯´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ"
    + "".join(map(chr, range(0x80, 0xA0)))
)
# Vietnamese letters no 8-bit legacy code surfaces as, and combining tone/vowel marks.
_CERTAIN_UNICODE = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u0303\u0306\u0309\u031b\u0323]")


def _score(text: str) -> int:
    words = _TOKEN.findall(text)
    valid = sum(1 for w in words if is_syllable(w))
    return 2 * valid - len(words) - sum(1 for c in text if c in _ALIEN)


# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(r"[,-](bold|italic|bolditalic|oblique|boldoblique|regular|black|light)+$", re.I)
SYMBOL_FONTS = frozenset({"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings",
                          "zapfdingbats", "marlett", "mt extra"})


@lru_cache(maxsize=1024)
def font_base(font: str | None) -> str:
    """The family name without a PDF subset tag or a style suffix: 'ABCDEF+.VnTimeH,Bold' → '.VnTimeH'."""
    if not font:
        return ""
    return _STYLE_SUFFIX.sub("", _SUBSET.sub("", font.strip()))


@lru_cache(maxsize=1024)
def font_hint(font: str | None) -> Encoding | None:
    """The encoding a font's name suggests, None when it suggests nothing."""
    name = font_base(font).lower().lstrip(".")
    if name.startswith("vni"):
        return Encoding.VNI
    if name.startswith("vn"):
        return Encoding.TCVN3
    if "viscii" in name:
        return Encoding.VISCII
    return None


@lru_cache(maxsize=1024)
def is_capitals_font(font: str | None) -> bool:
    """A TCVN3 capitals font (.VnTimeH, .VnArialH, …): it draws lower-case codes as capitals."""
    base = font_base(font)
    if font_hint(base) is not Encoding.TCVN3 or len(base) < 4:
        return False
    return base.endswith("H") or (base == base.lower() and base.endswith("h"))


def _is_symbol_font(font: str | None) -> bool:
    return font_base(font).lower() in SYMBOL_FONTS


# ---------------------------------------------------------------------------------------------
# Evidence and decisions
# ---------------------------------------------------------------------------------------------
_STRONG = 2  # a reading must lead by this much to decide a run on its own
_SEPARATION = 1  # … and beat the runner-up legacy reading by this much

Evidence = dict[Encoding, int]  # per legacy encoding: score gained over reading the run as is


@lru_cache(maxsize=32768)
def _evidence(text: str) -> tuple[str, tuple[tuple[Encoding, int], ...] | None, int]:
    """('ascii' | 'unicode' | 'scored', advantage of each legacy reading, number of words):
    what the characters of `text` say."""
    if text.isascii():
        return "ascii", None, 0
    if _CERTAIN_UNICODE.search(text):
        return "unicode", None, max(1, len(_TOKEN.findall(text)))
    base = _score(text)
    adv = []
    changed = False
    for enc, decode in DECODERS.items():
        out = decode(text)
        changed = changed or out != text
        adv.append((enc, 0 if out == text else _score(out) - base))
    if not changed:
        return "ascii", None, 0  # e.g. "–", "°C": no table changes it
    return "scored", tuple(adv), 0


def _lead(adv: Evidence) -> tuple[Encoding | None, int, int]:
    """(best legacy encoding, its advantage, its lead over the next legacy encoding)."""
    ranked = sorted(LEGACY, key=lambda e: (-adv.get(e, 0), LEGACY.index(e)))
    best, second = ranked[0], ranked[1]
    return best, adv.get(best, 0), adv.get(best, 0) - adv.get(second, 0)


_HINT_AMONG_LEGACY = 3  # a legacy font name outweighs this much evidence for another legacy table


def _hinted(adv: Evidence, hint: Encoding | None) -> Evidence:
    """Evidence with the font name's say on WHICH legacy encoding (not on legacy vs Unicode:
    that is where real files lie): the other legacy readings lose _HINT_AMONG_LEGACY."""
    if hint is None or hint not in LEGACY:
        return adv
    return {e: (a if e is hint else a - _HINT_AMONG_LEGACY) for e, a in adv.items()}


def _verdict(adv: Evidence, strong: int = _STRONG) -> Encoding | None:
    best, gain, lead = _lead(adv)
    if gain >= strong and lead >= _SEPARATION:
        return best
    if max(adv.values(), default=0) <= -strong:
        return Encoding.UNICODE
    return None


# A stretch of words none of which holds a letter only Unicode writes (ă đ ơ ư ạ …): where a
# legacy-encoded phrase inside a Unicode run can be.
_LEGACY_STRETCH = re.compile(r"(?:[^\săĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u0303\u0306\u0309\u031b\u0323]+\s+)*"
                             r"[^\săĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u0303\u0306\u0309\u031b\u0323]+")
MIXED_MIN_WORDS = 3
MIXED_GAIN = 6


class LegacyRun(Run):
    """A Run that remembers the encoding its text was decoded from; None when its characters
    said nothing (plain ASCII). Not serialised: a Document's JSON has plain runs, and
    Source.encoding keeps the verdict."""

    encoding: Encoding | None = Field(default=None, exclude=True)


class Decoder:
    """Decides and decodes runs, pooling the evidence of every (text, font) sample it was given
    (a whole document) per font and overall, for runs too short to decide alone."""

    def __init__(self, samples: Iterable[tuple[str, str | None]] = ()):
        by_font: dict[str, Evidence] = defaultdict(lambda: dict.fromkeys(LEGACY, 0))
        overall: Evidence = dict.fromkeys(LEGACY, 0)
        for text, font in samples:
            if not text or _is_symbol_font(font):
                continue
            kind, adv, weight = _evidence(text if text.isascii() else unicodedata.normalize("NFC", text))
            if kind == "ascii":
                continue
            group = by_font[font_base(font)]
            for enc in LEGACY:
                a = -weight if kind == "unicode" else dict(adv)[enc]
                group[enc] += a
                overall[enc] += a
        self._font_verdict = {f: _verdict(_hinted(ev, font_hint(f))) for f, ev in by_font.items()}
        self.seen: set[Encoding] = set()
        self._doc_verdict = _verdict(overall)

    # -- deciding ------------------------------------------------------------------------
    def decide(self, text: str, font: str | None = None) -> tuple[Encoding, bool]:
        """(encoding of `text` in `font`, whether its own characters carried evidence).

        Each reading's score gain over reading the run as is, plus priors: +2 for the pooled
        verdict of the run's font, +1 for the document's, +1 for the font name's hint (and -3
        for the other legacy readings when the name is a legacy font's), -1 for VISCII (rare
        in Word files). Ties go to Unicode, then TCVN3, VNI, VISCII."""
        if _is_symbol_font(font):
            return Encoding.UNICODE, False
        kind, adv, _ = _evidence(text)
        if kind == "unicode":
            return Encoding.UNICODE, True
        if kind == "ascii" and not is_capitals_font(font):
            return Encoding.UNICODE, False  # no table changes it: the verdict changes nothing
        hint = font_hint(font)
        total: dict[Encoding, int] = {Encoding.UNICODE: 0, **dict.fromkeys(LEGACY, 0)}
        if adv:
            total.update(_hinted(dict(adv), hint))
        total[Encoding.VISCII] -= 1
        for verdict, weight in ((self._font_verdict.get(font_base(font)), 2),
                                (self._doc_verdict, 1), (hint, 1)):
            if verdict is not None:
                total[verdict] += weight
        best = Encoding.UNICODE
        for enc in LEGACY:  # strictly greater: ties go to the earlier one
            if total[enc] > total[best]:
                best = enc
        return best, adv is not None

    # -- decoding ------------------------------------------------------------------------
    def decode_text(self, text: str, font: str | None = None,
                    encoding: Encoding | None = None) -> tuple[str, Encoding]:
        """(text decoded to NFC Unicode, the encoding it was read in). With `encoding` given,
        the text is read in that encoding without deciding (e.g. the spans of a line whose
        encoding was decided from the whole line)."""
        text = unicodedata.normalize("NFC", text)
        enc = encoding if encoding is not None else self.decide(text, font)[0]
        return _apply(text, enc, font), enc

    def decode_run(self, run: Run) -> LegacyRun:
        return self.make_run(run.text, run.bold, run.italic, run.font)

    def make_run(self, text: str, bold: bool = False, italic: bool = False,
                 font: str | None = None) -> LegacyRun:
        """A decoded run from raw text and formatting."""
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        enc, evidential = self.decide(text, font)
        if evidential:
            self.seen.add(enc)
        return LegacyRun(text=_apply(text, enc, font), bold=bold, italic=italic, font=font,
                         encoding=enc if evidential else None)

    def make_runs(self, runs: Sequence[tuple[str, bool, bool, str | None]]) -> list[LegacyRun]:
        """A paragraph's runs (text, bold, italic, font), decoded. Word splits typed text into
        many runs (a revision, a spelling mark): neighbouring runs in one font whose
        characters are not certainly Unicode are decided together, from their joined text, so
        that "Coâ" "ng ty " "tieán haønh" read as the VNI they are even in a Unicode font; and a
        stretch of legacy words inside a Unicode run is decoded on its own evidence (_mixed)."""
        texts = [t if t.isascii() else unicodedata.normalize("NFC", t) for t, *_ in runs]
        kinds = [_evidence(t)[0] for t in texts]
        fonts = [font_base(f) for *_, f in runs]
        group_enc: dict[int, Encoding] = {}
        i = 0
        while i < len(runs):
            j = i
            while j + 1 < len(runs) and fonts[j + 1] == fonts[i] and kinds[j + 1] != "unicode" \
                    and kinds[i] != "unicode":
                j += 1
            if sum(1 for k in range(i, j + 1) if kinds[k] == "scored") >= 2:
                enc, _ = self.decide("".join(texts[i:j + 1]), runs[i][3])
                for k in range(i, j + 1):
                    group_enc[k] = enc
            i = j + 1
        out = []
        for k, ((_, bold, italic, font), text) in enumerate(zip(runs, texts)):
            if k in group_enc and kinds[k] != "ascii":
                enc = group_enc[k]
                self.seen.add(enc)
                out.append(LegacyRun(text=_apply(text, enc, font), bold=bold, italic=italic,
                                     font=font, encoding=enc))
            elif kinds[k] == "unicode" and not _is_symbol_font(font):
                out.append(self._mixed(text, bold, italic, font))
            else:
                out.append(self.make_run(text, bold, italic, font))
        return out

    def _mixed(self, text: str, bold: bool, italic: bool, font: str | None) -> LegacyRun:
        """A Unicode run, with any stretch of words that reads far better in a legacy encoding
        decoded (text typed with the keyboard set to VNI in the middle of a Unicode paragraph).
        Only clear cases: a stretch of at least MIXED_MIN_WORDS words none of which has a
        letter only Unicode writes, whose best legacy reading gains MIXED_GAIN and makes most
        of its words Vietnamese syllables that were not."""
        self.seen.add(Encoding.UNICODE)
        pieces: list[str] = []
        last = 0
        for m in _LEGACY_STRETCH.finditer(text):
            stretch = m.group()
            if len(stretch.split()) < MIXED_MIN_WORDS or stretch.isascii():
                continue
            kind, adv, _ = _evidence(stretch)
            if kind != "scored":
                continue
            best, gain, lead = _lead(dict(adv))
            if gain < MIXED_GAIN or lead < _SEPARATION:
                continue
            decoded = _apply(stretch, best, font)
            words = _TOKEN.findall(stretch)
            fixed = sum(1 for a, b in zip(words, _TOKEN.findall(decoded)) if not is_syllable(a) and is_syllable(b))
            if fixed * 2 < len(words):
                continue
            pieces.append(text[last:m.start()])
            pieces.append(decoded)
            last = m.end()
            self.seen.add(best)
        if not pieces:
            return LegacyRun(text=_apply(text, Encoding.UNICODE, font), bold=bold, italic=italic,
                             font=font, encoding=Encoding.UNICODE)
        pieces.append(text[last:])
        out = unicodedata.normalize("NFC", "".join(pieces))
        return LegacyRun(text=_apply(out, Encoding.UNICODE, font), bold=bold, italic=italic,
                         font=font, encoding=Encoding.MIXED)

    def encoding(self) -> Encoding:
        """The encoding of every evidential run decoded so far (MIXED if several)."""
        return _summarise(self.seen)

    def decode_runs(self, runs: Sequence[Run]) -> list[Run]:
        return [self.decode_run(r) for r in runs]


@lru_cache(maxsize=32768)
def _apply(text: str, enc: Encoding, font: str | None) -> str:
    if text.isascii() and not (enc is Encoding.TCVN3 and is_capitals_font(font)):
        return text
    if enc is Encoding.UNICODE or enc is Encoding.MIXED:
        out = text.replace("\u00ad", "").replace("\u01a3", "ư").replace("\u01a2", "Ư")
    else:
        out = DECODERS[enc](text)
        if enc is Encoding.TCVN3 and is_capitals_font(font):
            out = out.upper()
    return unicodedata.normalize("NFC", out)


# ---------------------------------------------------------------------------------------------
# Module-level interface
# ---------------------------------------------------------------------------------------------
def decode_runs(runs: Sequence[Run]) -> list[Run]:
    """Decode each run to Unicode, pooling evidence over `runs` (one paragraph, say)."""
    return Decoder((r.text, r.font) for r in runs).decode_runs(runs)


def decode_text(text: str, font: str | None = None,
                encoding: Encoding | None = None) -> tuple[str, Encoding]:
    """Decode one piece of text (a PDF line, a word) set in `font`; returns (NFC text, encoding).
    With `encoding` given, reads it in that encoding instead of deciding."""
    return Decoder([(text, font)] if encoding is None else []).decode_text(text, font, encoding)


def _block_runs(blocks) -> Iterable[Run]:
    for b in blocks:
        if isinstance(b, Paragraph):
            yield from b.runs
        elif isinstance(b, Table):
            for c in b.cells:
                for p in c.paragraphs:
                    yield from p.runs


def document_encoding(blocks) -> Encoding:
    """The encoding of the document's text: the one every evidential run was decoded from,
    MIXED when there were several, UNICODE when there was none."""
    return _summarise({r.encoding for r in _block_runs(blocks)
                       if isinstance(r, LegacyRun) and r.encoding is not None})


def _summarise(seen: set[Encoding]) -> Encoding:
    if not seen:
        return Encoding.UNICODE
    return next(iter(seen)) if len(seen) == 1 else Encoding.MIXED


# ---------------------------------------------------------------------------------------------
# Mojibake detection (what a failed decoding leaves behind)
# ---------------------------------------------------------------------------------------------
_NEVER_VIET = _ALIEN - {"\u00ad"} | {"ƣ", "Ƣ"}
_MOJI_WORD = re.compile(r"\S+")
_VNI_SEQ = re.compile(r"[aA][ùøûõïáàâãåäêéèúüë]|[eE][ùøûõïâáàåãä]|[oO][ùøûõïâåä]|[uU][ùøûõï]"
                      r"|[yY][ùøûõ]|[ôÔöÖ][ùøûõï]")


def find_mojibake(text: str) -> list[str]:
    """Words that still look like undecoded TCVN3/VNI/VISCII: a letter next to a character no
    Vietnamese text has ("c¸c", "®·", "ph\u00adêng", "ƣ"), or a VNI vowel + mark pair ("aø", "eá")."""
    found = []
    for word in _MOJI_WORD.findall(unicodedata.normalize("NFC", text)):
        letters = any(c.isalpha() and c not in _NEVER_VIET for c in word)
        if (letters and any(c in _NEVER_VIET or c == "\u00ad" for c in word)) or _VNI_SEQ.search(word):
            found.append(word)
    return found
