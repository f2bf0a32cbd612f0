"""Generate varied synthetic Vietnamese administrative reports (docx, and pdf through LibreOffice)
for the ingestion benchmark and the pipeline tests.

Each report is laid out as real ones are: a borderless header table (issuer | national motto),
a centred bold title, Roman-numbered sections with numbered items, prose with figures, dates
and cited documents, 0–3 bordered statistics tables with a "Tổng số" row (sometimes summed
wrongly, sometimes with a malformed number, as typists do) and a signature table. Sizes,
wording, periods and offices vary with the seed; the same seed gives the same document.

Usage: python benchmarks/make_reports.py OUT_DIR [-n 500] [--pdf-share 0.4] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

PLACES = ["Đức Chính", "Mạo Khê", "Hồng Phong", "Xuân Sơn", "Tràng An", "Bình Khê", "Yên Thọ", "Hưng Đạo",
          "Kim Sơn", "An Sinh", "Việt Dân", "Tân Việt", "Hoàng Quế", "Thủy An", "Nguyễn Huệ", "Hồng Thái"]
DISTRICTS = ["thị xã Đông Triều", "thành phố Uông Bí", "huyện Hoành Bồ", "thị xã Quảng Yên", "huyện Tiên Yên"]
BODIES = [("TRUNG TÂM HỌC TẬP CỘNG ĐỒNG", "TTHTCĐ", "hoạt động trung tâm học tập cộng đồng"),
          ("HỘI KHUYẾN HỌC", "HKH", "công tác khuyến học, khuyến tài"),
          ("BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH", "BCĐ", "công tác cải cách hành chính"),
          ("HỘI LIÊN HIỆP PHỤ NỮ", "HLHPN", "công tác hội và phong trào phụ nữ"),
          ("ĐOÀN THANH NIÊN", "ĐTN", "công tác đoàn và phong trào thanh niên"),
          ("TRẠM Y TẾ", "TYT", "công tác chăm sóc sức khỏe nhân dân")]
SECTION_TITLES = ["Đặc điểm tình hình", "Kết quả thực hiện nhiệm vụ", "Công tác chỉ đạo, điều hành",
                  "Đánh giá chung", "Tồn tại, hạn chế và nguyên nhân", "Phương hướng, nhiệm vụ thời gian tới",
                  "Kiến nghị, đề xuất", "Công tác phối hợp", "Hiệu quả hoạt động", "Tổ chức bộ máy"]
ITEMS = ["Công tác tuyên truyền", "Công tác tập huấn, bồi dưỡng", "Công tác kiểm tra, giám sát",
         "Quản lý, sử dụng nguồn lực", "Công tác thi đua, khen thưởng", "Xây dựng kế hoạch hoạt động",
         "Công tác phối hợp với các đoàn thể", "Ứng dụng công nghệ thông tin", "Công tác thống kê, báo cáo"]
UNITS = ["người", "lượt người", "hội viên", "hộ", "lớp", "buổi", "hội nghị", "đồng chí", "cuốn sách"]
VERBS = ["tổ chức được", "thu hút", "vận động được", "phối hợp mở", "triển khai", "kết nạp mới"]
DOC_KINDS = [("Quyết định", "QĐ"), ("Kế hoạch", "KH"), ("Chỉ thị", "CT"), ("Nghị quyết", "NQ"),
             ("Công văn", "CV"), ("Hướng dẫn", "HD")]
ISSUERS = ["UBND", "BGDĐT", "TU", "HU", "SGDĐT", "BTV"]
TABLE_TOPICS = [("Tên hoạt động", ["Chuyên đề giáo dục pháp luật", "Chuyên đề sức khỏe", "Học nghề ngắn hạn",
                                   "Chuyên đề môi trường", "Văn hóa xã hội", "Phát triển kinh tế",
                                   "Kỹ năng sống", "Tin học cơ bản", "Ngoại ngữ", "Văn nghệ, thể thao",
                                   "Phòng chống dịch bệnh", "Chương trình khác"]),
                ("Đơn vị", [f"Khu {i}" for i in range(1, 13)]),
                ("Chỉ tiêu", ["Số hộ gia đình văn hóa", "Số khu dân cư văn hóa", "Số cơ quan đạt chuẩn",
                              "Số hộ nghèo", "Số hộ cận nghèo", "Số trẻ em được tiêm chủng",
                              "Số người tham gia BHYT", "Số lao động có việc làm", "Số hộ dùng nước sạch",
                              "Số thư viện", "Số câu lạc bộ", "Số tổ hòa giải"])]


def vn_int(n: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands)."""
    return f"{n:,}".replace(",", ".")


def vn_dec(x: float, places: int = 1) -> str:
    return f"{x:.{places}f}".replace(".", ",")


def _font(run, size: float = 13, bold: bool = False, italic: bool = False) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), "Times New Roman")


def _para(doc_or_cell, text: str, *, bold: bool = False, italic: bool = False, center: bool = False,
          size: float = 13, label: str | None = None):
    p = doc_or_cell.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if label:
        _font(p.add_run(label + " "), size, bold=True)
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _layout(doc, rows: list[tuple[str, str]], bold_left: bool = True) -> None:
    t = doc.add_table(rows=len(rows), cols=2)
    _borderless(t)
    for i, (left, right) in enumerate(rows):
        for j, text in enumerate((left, right)):
            cell = t.cell(i, j)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                _font(cell.paragraphs[0].add_run(text), 12, bold=bold_left if j == 0 else True)


class ReportWriter:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.seed = seed

    def pick(self, xs):
        return self.r.choice(xs)

    def reference(self, year: int) -> str:
        kind, code = self.pick(DOC_KINDS)
        num = self.r.randint(1, 999)
        y = self.r.randint(year - 6, year)
        d, m = self.r.randint(1, 28), self.r.randint(1, 12)
        iss = self.pick(ISSUERS)
        if code in ("CT", "NQ", "KH") and self.r.random() < 0.5:
            ref = f"{kind} số {num:02d}-{code}/{iss}"
        else:
            ref = f"{kind} số {num}/{y}/{code}-{iss}"
        return f"{ref} ngày {d:02d}/{m:02d}/{y}"

    def sentence(self, year: int) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.35:
            return (f"Trong kỳ, đơn vị đã {self.pick(VERBS)} {vn_int(r.randint(2, 4500))} {self.pick(UNITS)}, "
                    f"{'tăng' if r.random() < 0.6 else 'giảm'} {vn_dec(r.uniform(0.5, 40))}% so với cùng kỳ năm {year - 1}.")
        if kind < 0.55:
            return (f"Tỷ lệ hoàn thành kế hoạch đạt {vn_dec(r.uniform(60, 100))}%, "
                    f"có {r.randint(2, 30)} {self.pick(UNITS)} được biểu dương, khen thưởng.")
        if kind < 0.75:
            return f"Thực hiện {self.reference(year)}, đơn vị đã xây dựng kế hoạch và triển khai đến các tổ chức thành viên."
        if kind < 0.9:
            return (f"Tổng kinh phí thực hiện ước đạt {vn_dec(r.uniform(0.2, 900), 2)} "
                    f"{self.pick(['triệu đồng', 'tỷ đồng'])}, bảo đảm đúng quy định.")
        return ("Công tác phối hợp giữa các ban, ngành, đoàn thể được duy trì thường xuyên, "
                "góp phần nâng cao hiệu quả hoạt động tại cơ sở.")

    def table(self, doc) -> None:
        r = self.r
        label, names = self.pick(TABLE_TOPICS)
        n = r.randint(3, min(12, len(names)))
        rows = r.sample(names, n)
        two_level = r.random() < 0.4
        t = doc.add_table(rows=(2 if two_level else 1) + n + 1, cols=5 if two_level else 4)
        t.style = "Table Grid"
        if two_level:
            heads = ["TT", label, "Số lớp (chuyên đề)", "Số người tham gia", ""]
            for j, h in enumerate(heads):
                _font(t.cell(0, j).paragraphs[0].add_run(h), 12, bold=True)
            t.cell(0, 3).merge(t.cell(0, 4))
            for j in (0, 1, 2):
                t.cell(0, j).merge(t.cell(1, j))
            _font(t.cell(1, 3).paragraphs[0].add_run("Tổng số"), 12, bold=True)
            _font(t.cell(1, 4).paragraphs[0].add_run("Nữ"), 12, bold=True)
            start, value_cols = 2, 3
        else:
            for j, h in enumerate(["TT", label, "Số lượng", "Tỷ lệ (%)"]):
                _font(t.cell(0, j).paragraphs[0].add_run(h), 12, bold=True)
            start, value_cols = 1, 1
        sums = [0] * value_cols
        for i, name in enumerate(rows):
            vals = [r.randint(0, 2500 if value_cols == 1 else 400) for _ in range(value_cols)]
            if two_level:
                vals[2] = r.randint(0, vals[1])
            cells = [str(i + 1), name] + [vn_int(v) for v in vals]
            if not two_level:
                cells.append(vn_dec(r.uniform(1, 99)))
            for j, text in enumerate(cells):
                _font(t.cell(start + i, j).paragraphs[0].add_run(text), 12)
            sums = [s + v for s, v in zip(sums, vals)]
        if r.random() < 0.25:  # a typist's slip in the total
            k = r.randrange(value_cols)
            sums[k] += r.choice([-10, -1, 1, 9, 100])
        total = ["", "Tổng số"] + [vn_int(max(0, s)) for s in sums] + ([""] if not two_level else [])
        if r.random() < 0.1:
            total[2] = total[2].replace(".", "") + ".5" if len(total[2]) < 4 else total[2][:-1]
        for j, text in enumerate(total):
            _font(t.cell(start + n, j).paragraphs[0].add_run(text), 12, bold=True)

    def build(self, path: Path) -> None:
        r = self.r
        place = self.pick(PLACES)
        district = self.pick(DISTRICTS)
        body, abbr, topic = self.pick(BODIES)
        year = r.randint(2015, 2025)
        period = self.pick([f"6 tháng đầu năm {year}", f"năm {year}", f"quý {self.pick(['I', 'II', 'III', 'IV'])} năm {year}",
                            f"9 tháng năm {year}"])
        doc = Document()
        _layout(doc, [(f"UBND {self.pick(['PHƯỜNG', 'XÃ'])} {place.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                      (body, "Độc lập - Tự do - Hạnh phúc"),
                      (f"Số: {r.randint(1, 199)}/BC-{abbr}",
                       f"{place}, ngày {r.randint(1, 28):02d} tháng {r.randint(1, 12):02d} năm {year}")],
                bold_left=False)
        _para(doc, "BÁO CÁO", bold=True, center=True, size=14)
        _para(doc, f"Kết quả {topic} {period}".upper(), bold=True, center=True)
        _para(doc, f"Thực hiện {self.reference(year)} của {district}, {body.lower()} {place} báo cáo "
                   f"kết quả {topic} {period} như sau:")
        n_sections = r.randint(3, 6)
        titles = r.sample(SECTION_TITLES, n_sections)
        tables_left = r.choice([0, 1, 1, 2, 3])
        romans = ["I", "II", "III", "IV", "V", "VI", "VII"]
        for i, title in enumerate(titles):
            _para(doc, f"{romans[i]}. {title.upper() if r.random() < 0.5 else title}", bold=True)
            if r.random() < 0.1:
                continue  # an empty section, as reports have
            for j in range(r.randint(0, 4)):
                _para(doc, f"{self.pick(ITEMS)}:", bold=True, label=f"{j + 1}.")
                for _ in range(r.randint(1, 4)):
                    _para(doc, " ".join(self.sentence(year) for _ in range(r.randint(1, 4))))
                if tables_left and r.random() < 0.35:
                    self.table(doc)
                    tables_left -= 1
            for _ in range(r.randint(1, 3)):
                _para(doc, ("- " if r.random() < 0.3 else "") + self.sentence(year))
        _para(doc, f"Trên đây là báo cáo kết quả {topic} {period} của {body.lower()} {place}./.")
        _layout(doc, [("Nơi nhận:", "TM. BAN CHỈ ĐẠO" if abbr == "BCĐ" else "GIÁM ĐỐC"),
                      (f"- UBND {district} (b/c);", ""), ("- Lưu VT.", self.pick(["Nguyễn Văn An", "Trần Thị Bình",
                                                                                  "Lê Văn Thịnh", "Phạm Thị Hoa"]))])
        doc.save(str(path))


def make_docx(path: str | Path, seed: int) -> Path:
    """Write one synthetic report (docx) to `path`."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    ReportWriter(seed).build(p)
    return p


def to_pdf(docx_files: list[Path], outdir: Path, timeout: float = 1800) -> list[Path]:
    """Convert docx files to PDF with ONE LibreOffice call (a private profile, headless)."""
    if not docx_files:
        return []
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), *map(str, docx_files)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    return [outdir / (f.stem + ".pdf") for f in docx_files]


def make_corpus(out: str | Path, n: int = 500, pdf_share: float = 0.4, seed: int = 1) -> list[Path]:
    """n reports under `out`: about pdf_share of them as text PDFs, the rest docx."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    as_pdf = set(rng.sample(range(n), round(n * pdf_share)))
    files, to_convert = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            name = f"report-{seed:03d}-{i:04d}.docx"
            if i in as_pdf:
                to_convert.append(make_docx(Path(tmp) / name, seed * 100_000 + i))
            else:
                files.append(make_docx(out / name, seed * 100_000 + i))
        files += to_pdf(to_convert, out)
    return sorted(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--pdf-share", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if shutil.which("soffice") is None and a.pdf_share > 0:
        raise SystemExit("make_reports: LibreOffice (soffice) is needed for the PDFs")
    files = make_corpus(a.out, a.n, a.pdf_share, a.seed)
    print(f"{len(files)} reports in {a.out}: {sum(f.suffix == '.pdf' for f in files)} pdf, "
          f"{sum(f.suffix == '.docx' for f in files)} docx")


if __name__ == "__main__":
    main()
