"""Read a Word 2007+ (.docx) file into a Document: paragraphs and tables in body order.

The package is read directly (zip + lxml: the main part, styles, numbering), which is faster
than python-docx and sees what python-docx hides. Two passes: the body is walked into plain
records (runs with their effective bold/italic/font/size, automatic numbering labels, table
grids with gridSpan/vMerge spans), then the legacy-encoding decoder, having seen every run of
the document, decodes each run (extractors.readers.legacy) and the pydantic blocks are built.

Details that matter on real files: w:softHyphen is kept as U+00AD (in TCVN3 text it is the
letter "ư"; it is dropped from Unicode runs by the decoder); deleted revisions and hidden text
are skipped; caps formatting is applied; text boxes become blocks after their anchor
paragraph; nested tables are flattened into their cell; header/signature blocks are told from
data tables (classify_table).
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape as xml_unescape

from lxml import etree

from extractors.readers.common import clean_text, number_blocks, sha256_file
from extractors.readers.legacy import Decoder
from extractors.readers.limits import MAX_BLOCKS, MAX_XML_ELEMENTS, Limits
from extractors.readers.word.numbering import Numbering
from models.document import (
    Alignment, Cell, Document, Format, Paragraph, Provenance, Source, Table, TableRole,
)
from models.errors import CorruptFileError, EmptyFileError, TooLargeError

NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
W = "{%s}" % NS
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
VAL = W + "val"

W_P, W_TBL, W_R, W_T, W_TR, W_TC = W + "p", W + "tbl", W + "r", W + "t", W + "tr", W + "tc"
W_SDT, W_SDTCONTENT, W_CUSTOMXML = W + "sdt", W + "sdtContent", W + "customXml"
W_PPR, W_RPR, W_TXBX = W + "pPr", W + "rPr", W + "txbxContent"
W_RFONTS, W_SZ, W_RSTYLE = W + "rFonts", W + "sz", W + "rStyle"
W_PSTYLE, W_JC, W_NUMPR, W_NUMID, W_ILVL = W + "pStyle", W + "jc", W + "numPr", W + "numId", W + "ilvl"
W_TRPR, W_GRIDBEFORE, W_TCPR = W + "trPr", W + "gridBefore", W + "tcPr"
W_GRIDSPAN, W_VMERGE, W_HMERGE, W_TCBORDERS = W + "gridSpan", W + "vMerge", W + "hMerge", W + "tcBorders"
W_TAB, W_PTAB, W_SOFTHYPHEN, W_NBHYPHEN, W_SYM = W + "tab", W + "ptab", W + "softHyphen", W + "noBreakHyphen", W + "sym"
_PPR_TAGS = frozenset({W_PSTYLE, W_JC, W_NUMPR})
_NUMPR_TAGS = frozenset({W_NUMID, W_ILVL})
_TCPR_TAGS = frozenset({W_GRIDSPAN, W_VMERGE, W_HMERGE, W_TCBORDERS})

MIN_VISIBLE_PT = 2.0  # text set smaller than this cannot be read: it is hidden, like w:vanish
MAX_NESTING = 16  # tables nested deeper than this are read flat (their paragraphs in order)

_ALIGN = {"center": Alignment.CENTER, "right": Alignment.RIGHT, "end": Alignment.RIGHT,
          "both": Alignment.JUSTIFY, "distribute": Alignment.JUSTIFY, "left": Alignment.LEFT,
          "start": Alignment.LEFT}
_OFF = {"0", "false", "off", "none"}
# Containers whose runs belong to the paragraph, and those whose runs do not (deleted text).
_RUN_CONTAINERS = {W + t for t in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "dir",
                                   "bdo", "moveTo", "sdtContent", "sdt")}
_SKIP = {W + t for t in ("del", "moveFrom", "pPr", "rPr")}
_BREAKS = {W + "br", W + "cr"}
# Symbol-font glyphs Word stores as w:sym in U+F0xx: the common bullets and marks.
_SYMBOLS = {0xB7: "•", 0xA7: "▪", 0xD8: "➢", 0xFC: "✓", 0xE0: "→", 0xF0: "⇨", 0x76: "❖",
            0x6E: "■", 0xA8: "□", 0x2D: "-"}
_STYLE_TAG = re.compile(rb"<w:style\b([^>]*)>")
_STYLE_ATTR = re.compile(rb'w:(styleId|type|default)="([^"]*)"')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=True)


def _on(el) -> bool | None:
    """A w:b / w:i style toggle: None when absent."""
    if el is None:
        return None
    return el.get(VAL, "1").lower() not in _OFF


def _font(rfonts) -> str | None:
    if rfonts is None:
        return None
    return rfonts.get(W + "ascii") or rfonts.get(W + "hAnsi") or rfonts.get(W + "cs") \
        or rfonts.get(W + "eastAsia")


def _half_points(el) -> float | None:
    if el is None:
        return None
    v = el.get(VAL, "")
    return int(v) / 2 if v.isdigit() else None


def _first_children(el, tags: frozenset) -> dict:
    """The first child element of `el` with each of `tags`, in one pass over its children
    (lxml's find() costs a path lookup per call: several of them per paragraph added up to a
    fifth of the reading time)."""
    found: dict = {}
    for ch in el:
        tag = ch.tag
        if tag in tags and tag not in found:
            found[tag] = ch
    return found


def _lead_child(el, tag: str):
    """el.find(tag) for a child the schema puts first (w:pPr, w:rPr, w:tcPr): the first child
    is looked at before the search."""
    for ch in el:
        if ch.tag == tag:
            return ch
        break
    return el.find(tag)


# ------------------------------------------------------------------------------------------
# Package
# ------------------------------------------------------------------------------------------
class _Package:
    """The zip package: the main document part, and its styles and numbering parts."""

    def __init__(self, path: Path):
        self.path = path
        self.limits = Limits.from_env()
        self.entities: dict[str, str] = {}  # plain-text entities a part's DTD declares
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as e:
            raise CorruptFileError(path, f"damaged or truncated Word package ({e})") from e
        except OSError as e:
            raise CorruptFileError(path, f"cannot read Word package ({e})") from e
        self.names = set(self.zip.namelist())
        self.main = self._main_part()
        rels = self._rels(self.main)
        self.styles = rels.get("styles")
        self.numbering = rels.get("numbering")

    def _main_part(self) -> str:
        for target, kind in self._rel_targets("_rels/.rels", ""):
            if kind == "officeDocument" and target in self.names:
                return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise CorruptFileError(self.path, "Word package has no main document part")

    def _rel_targets(self, rels_name: str, base: str):
        if rels_name not in self.names:
            return
        root = self.xml(rels_name, required=False)
        if root is None:
            return
        for rel in root:
            target, kind = rel.get("Target", ""), rel.get("Type", "").rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External" or not target:
                continue
            target = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(base, target))
            yield target, kind

    def _rels(self, part: str) -> dict[str, str]:
        base, name = posixpath.split(part)
        out: dict[str, str] = {}
        for target, kind in self._rel_targets(posixpath.join(base, "_rels", name + ".rels"), base):
            out.setdefault(kind, target)
        return out

    def raw(self, name: str | None, required: bool = True) -> bytes | None:
        """A part's bytes (strict-namespace documents mapped to the transitional namespace),
        unpacked in pieces and given up past the limit whatever the zip header says: a bomb,
        or an entry lying about its size, costs no more than the limit."""
        if not name or name not in self.names:
            if required:
                raise CorruptFileError(self.path, f"Word package is missing {name}")
            return None
        cap = self.limits.max_xml_bytes
        try:
            info = self.zip.getinfo(name)
            if info.file_size > cap:
                raise TooLargeError(self.path, f"{name} unpacks to {info.file_size >> 20} MB, over the "
                                               f"{cap >> 20} MB limit (BAOCAO_MAX_XML_MB raises it)")
            pieces, total = [], 0
            with self.zip.open(info) as f:
                while piece := f.read(1 << 20):
                    total += len(piece)
                    if total > cap:
                        raise TooLargeError(self.path, f"{name} unpacks to more than {cap >> 20} MB "
                                                       "(a zip bomb?; BAOCAO_MAX_XML_MB raises the limit)")
                    pieces.append(piece)
            data = b"".join(pieces)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as e:
            raise CorruptFileError(self.path, f"damaged Word package: cannot unpack {name} ({e})") from e
        if data.count(b"<") > MAX_XML_ELEMENTS:  # a tag each (a real part has ~2 per element)
            raise TooLargeError(self.path, f"{name} holds over {MAX_XML_ELEMENTS:,} XML elements "
                                           "(no report has that many)")
        if _STRICT_NS in data:
            data = data.replace(_STRICT_NS, NS.encode())
        return data

    def xml(self, name: str | None, required: bool = True):
        data = self.raw(name, required)
        if data is None:
            return None
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as e:
            if not required:
                return None
            raise CorruptFileError(self.path, f"damaged Word XML in {name} ({e})") from e
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None:  # Word writes none; a hand-made or hostile part may
            for ent in dtd.iterentities():
                text = ent.content or ""
                if len(text) <= 1000 and "&" not in text and "<" not in text:
                    self.entities[ent.name] = text  # never expanded recursively
        return root


# ------------------------------------------------------------------------------------------
# Styles
# ------------------------------------------------------------------------------------------
@dataclass
class _RunProps:
    bold: bool | None = None
    italic: bool | None = None
    font: str | None = None
    size: float | None = None
    caps: bool | None = None
    hidden: bool | None = None

    def over(self, base: "_RunProps") -> "_RunProps":
        """These properties, falling back to `base` where unset."""
        return _RunProps(
            base.bold if self.bold is None else self.bold,
            base.italic if self.italic is None else self.italic,
            base.font if self.font is None else self.font,
            base.size if self.size is None else self.size,
            base.caps if self.caps is None else self.caps,
            base.hidden if self.hidden is None else self.hidden,
        )


_RPR_FIELDS = {W + "b": "bold", W + "i": "italic", W + "caps": "caps", W + "vanish": "hidden",
               W + "specVanish": "hidden"}


def _run_props(rpr) -> _RunProps:
    """The properties set in a w:rPr (one pass over its children)."""
    return _run_props_style(rpr)[0]


def _run_props_style(rpr) -> tuple[_RunProps, str | None]:
    """The properties set in a w:rPr and its character style (w:rStyle), in one pass."""
    props = _RunProps()
    rstyle = None
    if rpr is None:
        return props, rstyle
    for el in rpr:
        tag = el.tag
        name = _RPR_FIELDS.get(tag)
        if name is not None:
            if name != "hidden" or not props.hidden:
                setattr(props, name, el.get(VAL, "1").lower() not in _OFF)
        elif tag == W_RFONTS:
            props.font = _font(el)
        elif tag == W_SZ:
            props.size = _half_points(el)
        elif tag == W_RSTYLE and rstyle is None:
            rstyle = el
    return props, (rstyle.get(VAL) if rstyle is not None else None)


def _border_visible(el) -> bool | None:
    """A border element: visible line (True), explicitly none (False)."""
    if el is None:
        return None
    return el.get(VAL, "") not in ("nil", "none", "")


@dataclass
class _Style:
    name: str
    kind: str
    based_on: str | None
    run: _RunProps
    align: Alignment | None
    num: tuple[str | None, int | None] | None  # (numId, ilvl) of its w:numPr
    borders: dict[str, bool | None] = field(default_factory=dict)  # table styles


def _attr_text(value: bytes) -> str:
    """An attribute's value as text (its XML escapes undone)."""
    text = value.decode("utf-8", "replace")
    return xml_unescape(text) if "&" in text else text


class _Styles:
    """styles.xml resolved through basedOn: run properties, alignment, numbering, borders.
    A style is parsed only when first asked for (templates carry hundreds that are never used)."""

    def __init__(self, root=None):
        self.elements: dict[str, object] = {}  # styleId → element, or (start, end) in self._data
        self.kinds: dict[str, str] = {}
        self.defaults = _RunProps()
        self.default_para: str | None = None
        self.default_table: str | None = None
        self._parsed: dict[str, _Style | None] = {}
        self._resolved: dict[str, _Style | None] = {}
        self._data = b""
        self._wrap = (b"", b"")
        if root is None:
            return
        dd = root.find(W + "docDefaults")
        if dd is not None:
            self.defaults = _run_props(dd.find(f"{W}rPrDefault/{W}rPr"))
        for st in root.iterchildren(W + "style"):
            sid = st.get(W + "styleId")
            if sid is None:
                continue
            self._add(sid, st, st.get(W + "type", "paragraph"), st.get(W + "default"))

    def _add(self, sid: str, element, kind: str, default: str | None) -> None:
        self.elements[sid] = element
        self.kinds[sid] = kind
        if default in ("1", "true", "on"):
            if kind == "paragraph":
                self.default_para = sid
            elif kind == "table":
                self.default_table = sid

    @classmethod
    def from_bytes(cls, data: bytes | None) -> "_Styles":
        """Index styles.xml without parsing it whole: templates carry a 350 KB styles part of
        which a report uses a handful. Each w:style is located by its start tag and parsed when
        first used. Falls back to a full parse when the part does not use the w: prefix."""
        if not data:
            return cls()
        head = data.find(b"<w:styles")
        if head < 0 or b'xmlns:w="' + NS.encode() + b'"' not in data[head:data.find(b">", head)]:
            try:
                return cls(etree.fromstring(data, _PARSER))
            except etree.XMLSyntaxError:
                return cls()
        self = cls()
        self._data = data
        self._wrap = (data[head:data.find(b">", head)].rstrip(b"/") + b">", b"</w:styles>")
        a = data.find(b"<w:docDefaults")
        if a >= 0:
            b = data.find(b"</w:docDefaults>", a)
            dd = self._fragment(a, b + len(b"</w:docDefaults>")) if b > 0 else None
            if dd is not None:
                self.defaults = _run_props(dd.find(f"{W}rPrDefault/{W}rPr"))
        for m in _STYLE_TAG.finditer(data):
            head = m.group(1)
            attrs = dict(_STYLE_ATTR.findall(head))
            sid = attrs.get(b"styleId")
            if sid is None:
                continue
            if head.endswith(b"/"):
                end = m.end()
            else:
                end = data.find(b"</w:style>", m.end())
                if end < 0:
                    continue
                end += len(b"</w:style>")
            kind, default = attrs.get(b"type"), attrs.get(b"default")
            self._add(_attr_text(sid), (m.start(), end),
                      "paragraph" if kind is None else _attr_text(kind),
                      None if default is None else _attr_text(default))
        return self

    def _fragment(self, start: int, end: int):
        try:
            return etree.fromstring(self._wrap[0] + self._data[start:end] + self._wrap[1], _PARSER)[0]
        except (etree.XMLSyntaxError, IndexError):
            return None

    def name(self, sid: str | None) -> str | None:
        st = self._parse(sid)
        return st.name if st else None

    def _parse(self, sid: str | None) -> _Style | None:
        if not sid or sid not in self.elements:
            return None
        if sid in self._parsed:
            return self._parsed[sid]
        st = self.elements[sid]
        if isinstance(st, tuple):
            st = self._fragment(*st)
            if st is None:
                self._parsed[sid] = None
                return None
        name_el, based = st.find(W + "name"), st.find(W + "basedOn")
        ppr = st.find(W_PPR)
        align = num = None
        if ppr is not None:
            jc = ppr.find(W + "jc")
            align = _ALIGN.get(jc.get(VAL, "")) if jc is not None else None
            npr = ppr.find(W + "numPr")
            if npr is not None:
                nid, il = npr.find(W + "numId"), npr.find(W + "ilvl")
                num = (nid.get(VAL) if nid is not None else None,
                       int(il.get(VAL)) if il is not None and il.get(VAL, "").isdigit() else None)
        borders = {}
        tb = st.find(f"{W}tblPr/{W}tblBorders")
        if tb is not None:
            borders = {el.tag[len(W):]: _border_visible(el) for el in tb}
        parsed = _Style(
            name=name_el.get(VAL) if name_el is not None else sid,
            kind=st.get(W + "type", "paragraph"),
            based_on=based.get(VAL) if based is not None else None,
            run=_run_props(st.find(W_RPR)), align=align, num=num, borders=borders)
        self._parsed[sid] = parsed
        return parsed

    def get(self, sid: str | None, depth: int = 0) -> _Style | None:
        """The style with everything inherited through basedOn filled in."""
        if not sid:
            return None
        if sid in self._resolved:
            return self._resolved[sid]
        st = self._parse(sid)
        if st is None:
            return None
        parent = self.get(st.based_on, depth + 1) if st.based_on and depth < 20 else None
        if parent is not None:
            st = _Style(name=st.name, kind=st.kind, based_on=st.based_on,
                        run=st.run.over(parent.run), align=st.align or parent.align,
                        num=st.num if st.num is not None else parent.num,
                        borders={**parent.borders, **st.borders})
        self._resolved[sid] = st
        return st

    def numbering_styles(self) -> dict[str, str]:
        """Numbering style id → numId (for abstractNum numStyleLink)."""
        out = {}
        for sid, kind in self.kinds.items():
            if kind == "numbering":
                st = self.get(sid)
                if st and st.num and st.num[0]:
                    out[sid] = st.num[0]
        return out


# ------------------------------------------------------------------------------------------
# First pass: plain records
# ------------------------------------------------------------------------------------------
@dataclass
class _P:
    runs: list[tuple[str, bool, bool, str | None, bool]]  # text, bold, italic, font, caps
    sizes: dict[float, int]
    align: Alignment | None
    style: str | None
    label: str | None
    prov: dict


@dataclass
class _C:
    row: int
    col: int
    col_span: int
    paras: list[_P]
    row_span: int = 1


@dataclass
class _T:
    n_rows: int
    n_cols: int
    cells: list[_C]
    bordered: bool | None
    prov: dict


class _Walker:
    def __init__(self, pkg: _Package):
        self.pkg = pkg
        self.styles = _Styles.from_bytes(pkg.raw(pkg.styles, required=False))
        self.numbering = Numbering(pkg.xml(pkg.numbering, required=False),
                                   self.styles.numbering_styles())
        self.blocks: list[_P | _T] = []
        self._style_cache: dict[str | None, tuple[_Style | None, _RunProps]] = {}
        self.n_par = 0
        self.n_tbl = 0
        self.n_blocks = 0

    # -- body ------------------------------------------------------------------------------
    def walk(self) -> list[_P | _T]:
        root = self.pkg.xml(self.pkg.main)
        body = root.find(W + "body")
        if body is None:
            raise CorruptFileError(self.pkg.path, "Word document has no body")
        try:
            self._blocks(body, top=True)
        except RecursionError:  # content controls nested hundreds deep: no Word file is so
            raise CorruptFileError(self.pkg.path, "Word XML nested too deeply to read") from None
        return self.blocks

    def _count(self, n: int = 1) -> None:
        """Count paragraphs and cells with text; past MAX_BLOCKS the document is refused."""
        self.n_blocks += n
        if self.n_blocks > MAX_BLOCKS:
            raise TooLargeError(self.pkg.path, f"over {MAX_BLOCKS:,} paragraphs and table cells "
                                               "(no report has that many)")

    def _blocks(self, parent, top: bool) -> None:
        for el in parent:
            tag = el.tag
            if tag == W_P:
                bi = len(self.blocks)
                prov = {"block": bi, "paragraph": self.n_par if top else None}
                para = self.paragraph(el, prov)
                if top:
                    self.n_par += 1
                if para.runs and "".join(r[0] for r in para.runs).strip():
                    self._count()
                    self.blocks.append(para)
                for box in self._text_boxes(el):
                    self._blocks(box, top=False)
            elif tag == W_TBL:
                bi = len(self.blocks)
                self.blocks.append(self.table(el, {"block": bi, "table": self.n_tbl}))
                self.n_tbl += 1
            elif tag in (W_SDT, W_CUSTOMXML, W_SDTCONTENT):
                inner = el.find(W_SDTCONTENT) if tag == W_SDT else el
                if inner is not None:
                    self._blocks(inner, top)

    @staticmethod
    def _text_boxes(p):
        """Text-box contents anchored in a paragraph, once each (not the VML fallback copy)."""
        for box in p.iter(W_TXBX):
            anc = box.getparent()
            while anc is not None and anc is not p:
                if anc.tag == MC + "Fallback":
                    break
                anc = anc.getparent()
            else:
                yield box

    # -- paragraphs ------------------------------------------------------------------------
    def paragraph(self, p, prov: dict) -> _P:
        ppr = _lead_child(p, W_PPR)
        style_id = align = None
        num_id = ilvl = None
        if ppr is not None:
            found = _first_children(ppr, _PPR_TAGS)
            ps = found.get(W_PSTYLE)
            style_id = ps.get(VAL) if ps is not None else None
            jc = found.get(W_JC)
            if jc is not None:
                align = _ALIGN.get(jc.get(VAL, ""))
            npr = found.get(W_NUMPR)
            if npr is not None:
                nfound = _first_children(npr, _NUMPR_TAGS)
                nid, il = nfound.get(W_NUMID), nfound.get(W_ILVL)
                num_id = nid.get(VAL) if nid is not None else None
                if il is not None and il.get(VAL, "").isdigit():
                    ilvl = int(il.get(VAL))
        style, base = self._para_style(style_id or self.styles.default_para)
        if align is None and style is not None:
            align = style.align
        # numbering: direct numPr, else the paragraph style's
        if num_id is None and style is not None and style.num is not None:
            num_id = style.num[0]
            if ilvl is None:
                ilvl = style.num[1]
            if ilvl is None and num_id:
                ilvl = self.numbering.level_for_style(num_id, style_id or self.styles.default_para)
        label = self.numbering.label(num_id, ilvl) if num_id else None

        runs: list[tuple[str, bool, bool, str | None, bool]] = []
        sizes: dict[float, int] = {}
        for r in self._runs(p):
            text, rpr = self._run_text(r)
            if not text:
                continue
            props = base
            if rpr is not None:
                own, rstyle = _run_props_style(rpr)
                cst = self.styles.get(rstyle) if rstyle is not None else None
                props = own.over(cst.run.over(base)) if cst else own.over(base)
            if props.hidden or (props.size is not None and props.size < MIN_VISIBLE_PT):
                continue  # hidden, or too small to read (a 1-point run hiding text)
            runs.append((text, bool(props.bold), bool(props.italic), props.font, bool(props.caps)))
            if props.size:
                sizes[props.size] = sizes.get(props.size, 0) + len(text)
        return _P(runs=runs, sizes=sizes, align=align,
                  style=self.styles.name(style_id),
                  label=label, prov=prov)

    def _para_style(self, sid: str | None) -> tuple[_Style | None, _RunProps]:
        """A paragraph style and the run properties it gives (cached)."""
        hit = self._style_cache.get(sid)
        if hit is None:
            style = self.styles.get(sid)
            hit = (style, style.run.over(self.styles.defaults) if style else self.styles.defaults)
            self._style_cache[sid] = hit
        return hit

    @staticmethod
    def _runs(parent):
        """The paragraph's runs in order, through hyperlinks, insertions, content controls…
        (walked with a stack: containers nested thousands deep cost no recursion)."""
        stack = [iter(parent)]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            tag = el.tag
            if tag == W_R:
                yield el
            elif tag in _RUN_CONTAINERS:
                stack.append(iter(el))
            elif tag == MC + "AlternateContent":
                choice = el.find(MC + "Choice")
                if choice is not None:
                    stack.append(iter(choice))

    def _run_text(self, r) -> tuple[str, object]:
        """A run's text, and its w:rPr (the first; None without), in one pass over its children."""
        out = []
        rpr = None
        for ch in r:
            tag = ch.tag
            if tag == W_T:
                if len(ch):
                    out.append(ch.text or "")
                    for ref in ch:  # an entity reference the parser kept: its plain text, and the
                        if isinstance(ref, etree._Entity):  # text after it (its tail)
                            out.append(self.pkg.entities.get(ref.name, ref.text or ""))
                        out.append(ref.tail or "")
                else:
                    out.append(ch.text or "")
            elif tag == W_RPR:
                if rpr is None:
                    rpr = ch
            elif tag == W_TAB or tag == W_PTAB:
                out.append("\t")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == W_SOFTHYPHEN:
                out.append("\u00ad")
            elif tag == W_NBHYPHEN:
                out.append("-")
            elif tag == W_SYM:
                try:
                    code = int(ch.get(W + "char", ""), 16)
                except ValueError:
                    continue
                code = code - 0xF000 if code >= 0xF000 else code
                out.append(_SYMBOLS.get(code, ""))
        return "".join(out), rpr

    # -- tables ----------------------------------------------------------------------------
    def table(self, tbl, prov: dict) -> _T:
        grid_cols = 0
        grid = tbl.find(W + "tblGrid")
        if grid is not None:
            grid_cols = sum(1 for g in grid if g.tag == W + "gridCol")
        tbl_borders = self._table_borders(tbl)
        cells: list[_C] = []
        open_v: dict[int, _C] = {}
        n_cols = grid_cols
        rows = list(self._children(tbl, W_TR))
        visible = total = 0
        for ri, tr in enumerate(rows):
            col = 0
            trpr = _lead_child(tr, W_TRPR)
            if trpr is not None:
                gb = trpr.find(W_GRIDBEFORE)
                if gb is not None and gb.get(VAL, "0").isdigit():
                    col = int(gb.get(VAL))
            prev: _C | None = None
            for tc in self._children(tr, W_TC):
                tcpr = _lead_child(tc, W_TCPR)
                span, vmerge, hmerge, tc_borders = 1, None, None, None
                if tcpr is not None:
                    found = _first_children(tcpr, _TCPR_TAGS)
                    gs = found.get(W_GRIDSPAN)
                    if gs is not None and gs.get(VAL, "1").isdigit():
                        span = max(1, int(gs.get(VAL)))
                    vm = found.get(W_VMERGE)
                    if vm is not None:
                        vmerge = vm.get(VAL, "continue")
                    hm = found.get(W_HMERGE)
                    if hm is not None:
                        hmerge = hm.get(VAL, "continue")
                    tc_borders = found.get(W_TCBORDERS)
                total += 1
                visible += self._cell_bordered(tc_borders, tbl_borders)
                if hmerge == "continue" and prev is not None:
                    prev.col_span += span
                    col += span
                    continue
                if vmerge == "continue" and col in open_v and open_v[col].col_span == span:
                    top = open_v[col]
                    top.row_span = ri - top.row + 1
                    col += span
                    continue
                paras = self._cell_paragraphs(tc, {"block": prov["block"], "table": prov["table"],
                                                   "row": ri, "col": col})
                cell = _C(row=ri, col=col, col_span=span, paras=paras)
                cells.append(cell)
                for c in range(col, col + span):
                    open_v.pop(c, None)
                if vmerge == "restart":
                    open_v[col] = cell
                prev = cell
                col += span
            n_cols = max(n_cols, col)
        bordered = (visible / total >= 0.5) if total else None
        return _T(n_rows=len(rows), n_cols=n_cols, cells=cells, bordered=bordered, prov=prov)

    def _children(self, parent, tag):
        """Child elements with `tag`, looking through sdt/customXml wrappers."""
        for el in parent:
            if el.tag == tag:
                yield el
            elif el.tag == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    yield from self._children(content, tag)
            elif el.tag == W_CUSTOMXML:
                yield from self._children(el, tag)

    def _cell_paragraphs(self, tc, prov: dict, depth: int = 0) -> list[_P]:
        out: list[_P] = []
        if depth > MAX_NESTING:  # tables nested deeper than any report: their paragraphs, flat
            out = [self.paragraph(p, dict(prov)) for p in tc.iter(W_P)]
            self._count(sum(1 for p in out if p.runs))
            return out
        for el in tc:
            if el.tag == W_P:
                out.append(self.paragraph(el, dict(prov)))
                if out[-1].runs:
                    self._count()
            elif el.tag == W_TBL:  # a nested table: its paragraphs, row by row, join the cell
                for tr in self._children(el, W_TR):
                    for inner in self._children(tr, W_TC):
                        out.extend(self._cell_paragraphs(inner, prov, depth + 1))
            elif el.tag in (W_SDT, W_CUSTOMXML):
                content = el.find(W_SDTCONTENT) if el.tag == W_SDT else el
                if content is not None:
                    out.extend(self._cell_paragraphs(content, prov, depth + 1))
        return out

    def _table_borders(self, tbl) -> dict[str, bool | None]:
        tblpr = tbl.find(W + "tblPr")
        borders: dict[str, bool | None] = {}
        style_id = None
        if tblpr is not None:
            st = tblpr.find(W + "tblStyle")
            style_id = st.get(VAL) if st is not None else None
        style = self.styles.get(style_id or self.styles.default_table)
        if style is not None:
            borders.update(style.borders)
        if tblpr is not None:
            tb = tblpr.find(W + "tblBorders")
            if tb is not None:
                borders.update({el.tag[len(W):]: _border_visible(el) for el in tb})
        return borders

    @staticmethod
    def _cell_bordered(tc_borders, tbl_borders: dict[str, bool | None]) -> int:
        """1 when the cell shows at least two border lines (its own, else the table's)."""
        own: dict[str, bool] = {}
        if tc_borders is not None:
            for el in tc_borders:
                own[el.tag[_WLEN:]] = el.get(VAL, "") not in ("nil", "none", "")
        n = 0
        for side, inner in _SIDES:
            v = own.get(side)
            if v is None:
                v = tbl_borders.get(side) or tbl_borders.get(inner)
            if v:
                n += 1
                if n >= 2:
                    return 1
        return 0


_WLEN = len(W)
_SIDES = (("top", "insideH"), ("bottom", "insideH"), ("left", "insideV"), ("right", "insideV"),
          ("start", "insideV"), ("end", "insideV"))


# ------------------------------------------------------------------------------------------
# Second pass: decode and build the model
# ------------------------------------------------------------------------------------------
def _all_runs(records):
    for rec in records:
        if isinstance(rec, _P):
            yield from rec.runs
        else:
            for c in rec.cells:
                for p in c.paras:
                    yield from p.runs


def _build_paragraph(rec: _P, decoder: Decoder) -> Paragraph:
    runs = decoder.make_runs([(t, b, i, f) for t, b, i, f, _ in rec.runs])
    for run, raw in zip(runs, rec.runs):
        if raw[4]:  # caps formatting shows the (decoded) text in capitals
            run.text = run.text.upper()
    text = clean_text("".join(r.text for r in runs))
    label = unicodedata.normalize("NFC", rec.label) if rec.label else None
    return Paragraph(
        text=text, runs=runs, alignment=rec.align, list_label=label, style=rec.style,
        font_size=max(rec.sizes, key=rec.sizes.get) if rec.sizes else None,
        provenance=Provenance(**rec.prov),
    )


def _build_table(rec: _T, decoder: Decoder) -> Table:
    cells = []
    for c in rec.cells:
        paras = [_build_paragraph(p, decoder) for p in c.paras]
        cells.append(Cell(
            row=c.row, col=c.col, row_span=c.row_span, col_span=c.col_span,
            text=" ".join(p.full_text for p in paras if p.text or p.list_label),
            paragraphs=paras,
            provenance=Provenance(block=rec.prov["block"], table=rec.prov["table"], row=c.row, col=c.col),
        ))
    table = Table(n_rows=rec.n_rows, n_cols=rec.n_cols, cells=cells, bordered=rec.bordered,
                  provenance=Provenance(**rec.prov))
    table.role = classify_table(table)
    return table


# ------------------------------------------------------------------------------------------
# Table roles
# ------------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    """Upper case, "HOÀ" = "HÒA" (old and new tone placement), dashes and spaces folded."""
    t = unicodedata.normalize("NFC", text).upper()
    t = t.replace("OÀ", "ÒA").replace("OÁ", "ÓA").replace("OẢ", "ỎA").replace("OÃ", "ÕA") \
        .replace("OẠ", "ỌA").replace("UỶ", "ỦY").replace("UÝ", "ÚY")
    t = re.sub(r"[\u2010-\u2015\-]+", "-", t)
    return re.sub(r"\s+", " ", t)


_MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA|ĐỘC LẬP ?- ?TỰ DO ?- ?HẠNH PHÚC")
_LAYOUT_LINE = re.compile(
    r"^(NƠI NHẬN|KÍNH GỬI)\b"                                   # distribution list, addressee
    r"|^(T\.? ?M|K\.? ?T|T\.? ?L|T\.? ?U\.? ?Q|Q)\. ?\S"        # signing on behalf: TM. KT. TL. TUQ. Q.
    r"|^(PHÓ )?(CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG|BÍ THƯ|HIỆU TRƯỞNG|CHÁNH VĂN PHÒNG"
    r"|THỦ TRƯỞNG|TỔNG GIÁM ĐỐC|CHỦ NHIỆM|NGƯỜI LẬP|KẾ TOÁN TRƯỞNG)\b"
    r"|^SỐ ?: ?\S*/"                                             # document number "Số: 12/BC-…"
    r"|, NGÀY .{0,6} THÁNG .{0,6} NĂM \d"                         # place and date line
)
_NUMERIC = re.compile(r"^[\d\s.,%()+\-–/]*\d[\d\s.,%()+\-–/]*$")
# Column headings of a statistics table ("STT | Nội dung | Số lượng | Ghi chú").
_HEADING = re.compile(r"^(S\.?TT|TT|SỐ TT|NỘI DUNG|CHỈ TIÊU|CÁC CHỈ TIÊU|ĐƠN VỊ( TÍNH)?|ĐVT|SỐ LƯỢNG"
                      r"|GHI CHÚ|KẾT QUẢ|TỶ LỆ.*|NĂM \d{4}.*|KẾ HOẠCH.*|THỰC HIỆN.*|TÊN .{2,40})$")


def is_layout_line(text: str) -> bool:
    """A line of a header or signature block: the national motto, "Nơi nhận", "TM."/"KT."
    signing, a signer's title, "Số: …/…", a place-and-date line."""
    folded = _fold(text)
    return bool(_MOTTO.search(folded) or _LAYOUT_LINE.search(folded))


def classify_table(t: Table) -> TableRole:
    """LAYOUT for header and signature blocks laid out in a table, DATA otherwise.

    Layout: at most 3 columns and either a layout line (national motto, "Nơi nhận", "TM."/"KT."
    signing, a signer's title, "Số: …/…", a place-and-date line) or, without borders, little
    that is numeric and no row of column headings ("STT", "Nội dung", "Số lượng"…). A bordered
    table, or one whose cells are largely numbers, is data."""
    texts = [c.text for c in t.cells if c.text.strip()]
    if not texts:
        return TableRole.LAYOUT
    numeric = sum(1 for x in texts if _NUMERIC.match(x)) / len(texts)
    if t.n_cols > 3:
        return TableRole.DATA
    lines = [_fold(p.full_text) for c in t.cells for p in c.paragraphs if p.text.strip()]
    marker = any(_MOTTO.search(x) or _LAYOUT_LINE.search(x) for x in lines)
    if marker and (not t.bordered or numeric < 0.2):
        return TableRole.LAYOUT
    headings = sum(1 for c in t.cells if c.row == 0 and _HEADING.match(_fold(c.text).strip()))
    headed = t.n_rows >= 2 and headings >= 2
    if t.bordered is False and numeric < 0.2 and t.n_rows <= 12 and not headed:
        return TableRole.LAYOUT
    return TableRole.DATA


# ------------------------------------------------------------------------------------------
def read_docx(path: str | Path, fmt: Format = Format.DOCX) -> Document:
    """Read a .docx (or a converted .doc, with fmt=Format.DOC) into a Document."""
    p = Path(path)
    if p.stat().st_size == 0:
        raise EmptyFileError(p, "empty file (0 bytes)")
    pkg = _Package(p)
    try:
        records = _Walker(pkg).walk()
    finally:
        pkg.zip.close()
    decoder = Decoder((r[0], r[3]) for r in _all_runs(records))
    blocks: list = []
    for rec in records:
        blocks.append(_build_paragraph(rec, decoder) if isinstance(rec, _P) else _build_table(rec, decoder))
    number_blocks(blocks)
    return Document(
        source=Source(path=str(p), sha256=sha256_file(p), format=fmt, size=p.stat().st_size,
                      encoding=decoder.encoding()),
        blocks=blocks,
    )
