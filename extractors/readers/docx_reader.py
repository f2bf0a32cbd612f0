"""Read a Word 2007+ (.docx) file into a Document: paragraphs and tables in body order.

Runs keep bold/italic/font; merged cells (gridSpan, vMerge) become spans; w:softHyphen is kept
as U+00AD (in TCVN3 text it is the letter "ư") before legacy decoding.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from extractors.readers.common import clean_text, sha256_file
from models.document import (
    Alignment, Cell, Document, Format, Paragraph, Provenance, Run, Source, Table, TableRole,
)
from models.errors import CorruptFileError, EncryptedFileError

W_P, W_TBL, W_R, W_T = qn("w:p"), qn("w:tbl"), qn("w:r"), qn("w:t")
W_TR, W_TC, W_SDT, W_HYPERLINK = qn("w:tr"), qn("w:tc"), qn("w:sdt"), qn("w:hyperlink")
W_VAL = qn("w:val")

_ALIGN = {"center": Alignment.CENTER, "right": Alignment.RIGHT, "end": Alignment.RIGHT,
          "both": Alignment.JUSTIFY, "distribute": Alignment.JUSTIFY, "left": Alignment.LEFT,
          "start": Alignment.LEFT}
_OFF = {"0", "false", "off", "none"}


def _on(el) -> bool | None:
    """A w:b / w:i toggle: None when absent."""
    if el is None:
        return None
    return el.get(W_VAL, "1").lower() not in _OFF


def _run_text(r) -> str:
    out = []
    for ch in r:
        tag = ch.tag
        if tag == W_T:
            out.append(ch.text or "")
        elif tag == qn("w:tab"):
            out.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        elif tag == qn("w:softHyphen"):
            out.append("\u00ad")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
        elif tag == qn("w:sym"):
            code = ch.get(qn("w:char"))
            if code:
                try:
                    c = int(code, 16)
                    out.append(chr(c - 0xF000 if c >= 0xF000 else c))
                except ValueError:
                    pass
    return "".join(out)


class _Styles:
    """Paragraph/character style defaults (bold, italic, font) resolved through basedOn."""

    def __init__(self, document):
        self.props: dict[str, tuple[bool | None, bool | None, str | None]] = {}
        self.names: dict[str, str] = {}
        self.default_font: str | None = None
        try:
            root = document.styles.element
        except Exception:  # pragma: no cover - styles part missing
            return
        raw: dict[str, tuple[str | None, bool | None, bool | None, str | None]] = {}
        for st in root.iter(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            name_el = st.find(qn("w:name"))
            self.names[sid] = name_el.get(W_VAL) if name_el is not None else sid
            based = st.find(qn("w:basedOn"))
            rpr = st.find(qn("w:rPr"))
            b = i = font = None
            if rpr is not None:
                b, i = _on(rpr.find(qn("w:b"))), _on(rpr.find(qn("w:i")))
                f = rpr.find(qn("w:rFonts"))
                if f is not None:
                    font = f.get(qn("w:ascii")) or f.get(qn("w:hAnsi"))
            raw[sid] = (based.get(W_VAL) if based is not None else None, b, i, font)
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            f = defaults.find(".//" + qn("w:rFonts"))
            if f is not None:
                self.default_font = f.get(qn("w:ascii")) or f.get(qn("w:hAnsi"))

        def resolve(sid, depth=0):
            if sid in self.props:
                return self.props[sid]
            based, b, i, font = raw.get(sid, (None, None, None, None))
            if based and depth < 20:
                pb, pi, pf = resolve(based, depth + 1)
                b = pb if b is None else b
                i = pi if i is None else i
                font = pf if font is None else font
            self.props[sid] = (b, i, font)
            return self.props[sid]

        for sid in raw:
            resolve(sid)

    def get(self, sid: str | None) -> tuple[bool | None, bool | None, str | None]:
        return self.props.get(sid or "", (None, None, None))


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.doc = docx.Document(str(path))
        except zipfile.BadZipFile as e:
            raise CorruptFileError(path, f"damaged Word package ({e})") from e
        except KeyError as e:
            raise CorruptFileError(path, f"Word package is missing a part ({e})") from e
        except etree.XMLSyntaxError as e:
            raise CorruptFileError(path, f"damaged Word XML ({e})") from e
        except Exception as e:  # python-docx raises ValueError/PackageNotFoundError etc.
            if "encrypt" in str(e).lower():
                raise EncryptedFileError(path, "password-protected Word document") from e
            raise CorruptFileError(path, f"cannot open as Word document ({type(e).__name__}: {e})") from e
        self.styles = _Styles(self.doc)
        self.blocks: list = []
        self.n_par = 0
        self.n_tbl = 0

    # -- paragraphs ---------------------------------------------------------------------
    def paragraph(self, p, prov: Provenance) -> Paragraph:
        ppr = p.find(qn("w:pPr"))
        style_id = None
        align = None
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            style_id = ps.get(W_VAL) if ps is not None else None
            jc = ppr.find(qn("w:jc"))
            if jc is not None:
                align = _ALIGN.get(jc.get(W_VAL, ""))
        sb, si, sfont = self.styles.get(style_id)
        runs: list[Run] = []
        sizes: dict[float, int] = {}
        for r in p.iter(W_R):
            text = _run_text(r)
            if not text:
                continue
            rpr = r.find(qn("w:rPr"))
            b = i = font = None
            if rpr is not None:
                b, i = _on(rpr.find(qn("w:b"))), _on(rpr.find(qn("w:i")))
                rs = rpr.find(qn("w:rStyle"))
                if rs is not None:
                    cb, ci, cf = self.styles.get(rs.get(W_VAL))
                    b = cb if b is None else b
                    i = ci if i is None else i
                    font = cf
                f = rpr.find(qn("w:rFonts"))
                if f is not None:
                    font = f.get(qn("w:ascii")) or f.get(qn("w:hAnsi")) or f.get(qn("w:cs")) or font
                sz = rpr.find(qn("w:sz"))
                if sz is not None and sz.get(W_VAL, "").isdigit():
                    k = int(sz.get(W_VAL)) / 2
                    sizes[k] = sizes.get(k, 0) + len(text)
            runs.append(Run(
                text=text,
                bold=bool(sb if b is None else b),
                italic=bool(si if i is None else i),
                font=font or sfont or self.styles.default_font,
            ))
        from extractors.readers.legacy import decode_runs  # local: keeps import order simple

        runs = decode_runs(runs)
        text = clean_text("".join(r.text for r in runs))
        return Paragraph(
            text=text,
            runs=runs,
            alignment=align,
            style=self.styles.names.get(style_id) if style_id else None,
            font_size=max(sizes, key=sizes.get) if sizes else None,
            provenance=prov,
        )

    # -- tables -------------------------------------------------------------------------
    def table(self, tbl, prov: Provenance) -> Table:
        cells: list[Cell] = []
        open_v: dict[int, Cell] = {}  # grid column → cell open for vertical merge
        n_cols = len(tbl.findall(qn("w:tblGrid") + "/" + qn("w:gridCol")))
        rows = [tr for tr in tbl if tr.tag == W_TR]
        for ri, tr in enumerate(rows):
            col = 0
            trpr = tr.find(qn("w:trPr"))
            if trpr is not None:
                gb = trpr.find(qn("w:gridBefore"))
                if gb is not None and gb.get(W_VAL, "0").isdigit():
                    col = int(gb.get(W_VAL))
            for tc in tr.iter(W_TC):
                if tc.getparent() is not tr and tc.getparent().tag != W_SDT:
                    continue  # nested table cells belong to the inner table
                tcpr = tc.find(qn("w:tcPr"))
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    if gs is not None and gs.get(W_VAL, "1").isdigit():
                        span = int(gs.get(W_VAL))
                    vm = tcpr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = vm.get(W_VAL, "continue")
                if vmerge == "continue" and col in open_v:
                    top = open_v[col]
                    top.row_span = ri - top.row + 1
                    col += span
                    continue
                paras = [self.paragraph(p, Provenance(table=prov.table, row=ri, col=col))
                         for p in tc if p.tag == W_P]
                cell = Cell(
                    row=ri, col=col, col_span=span,
                    text=" ".join(p.text for p in paras if p.text),
                    paragraphs=paras,
                    provenance=Provenance(block=prov.block, table=prov.table, row=ri, col=col),
                )
                cells.append(cell)
                for c in range(col, col + span):
                    open_v.pop(c, None)
                if vmerge == "restart":
                    open_v[col] = cell
                col += span
            n_cols = max(n_cols, col)
        table = Table(n_rows=len(rows), n_cols=n_cols, cells=cells, provenance=prov,
                      bordered=_bordered(tbl, self.doc))
        table.role = classify_table(table)
        return table

    # -- body ---------------------------------------------------------------------------
    def body_elements(self, parent):
        for el in parent:
            if el.tag in (W_P, W_TBL):
                yield el
            elif el.tag == W_SDT:
                content = el.find(qn("w:sdtContent"))
                if content is not None:
                    yield from self.body_elements(content)

    def read(self) -> list:
        body = self.doc.element.body
        for el in self.body_elements(body):
            bi = len(self.blocks)
            if el.tag == W_P:
                para = self.paragraph(el, Provenance(block=bi, paragraph=self.n_par))
                self.n_par += 1
                if para.text or para.list_label:
                    self.blocks.append(para)
            else:
                self.blocks.append(self.table(el, Provenance(block=bi, table=self.n_tbl)))
                self.n_tbl += 1
        return self.blocks


def _bordered(tbl, document) -> bool | None:
    tblpr = tbl.find(qn("w:tblPr"))
    if tblpr is None:
        return None
    borders = tblpr.find(qn("w:tblBorders"))
    if borders is not None:
        vals = [b.get(W_VAL, "") for b in borders]
        if vals:
            return any(v not in ("nil", "none", "") for v in vals)
    st = tblpr.find(qn("w:tblStyle"))
    if st is not None:
        return "grid" in (st.get(W_VAL) or "").lower()
    return None


_LAYOUT_MARKERS = ("CỘNG HÒA XÃ HỘI", "CỘNG HOÀ XÃ HỘI", "ĐỘC LẬP - TỰ DO", "ĐỘC LẬP – TỰ DO",
                   "NƠI NHẬN", "KÝ TÊN", "TM.", "T.M", "KT.", "Q.", "SỐ:")


def classify_table(t: Table) -> TableRole:
    """Header and signature blocks are layout tables: few columns, no borders or the national
    motto / 'Nơi nhận' / 'TM.' inside, and few numbers."""
    text = " ".join(c.text for c in t.cells).upper()
    marker = any(m in text for m in _LAYOUT_MARKERS)
    if marker and t.n_cols <= 3:
        return TableRole.LAYOUT
    if t.bordered is False and t.n_cols <= 3 and t.n_rows <= 8:
        return TableRole.LAYOUT
    return TableRole.DATA


def read_docx(path: str | Path, fmt: Format = Format.DOCX) -> Document:
    p = Path(path)
    blocks = _Reader(p).read()
    from extractors.readers.legacy import document_encoding

    return Document(
        source=Source(path=str(p), sha256=sha256_file(p), format=fmt, size=p.stat().st_size,
                      encoding=document_encoding(blocks)),
        blocks=blocks,
    )
