"""missing_metadata: the report states no date, no signer or no number (one flag per field).

A report without date or number cannot be cited or filed (warning); an unsigned report is
worth a note (info), since some offices send the signed copy separately.

Only an absence the document itself shows is flagged, not one the reading may have caused:
- the document's kind must be known (Metadata.document_type): a header the extractor could not
  read, a list, a form or an appendix says nothing about what it should carry;
- kinds that carry no number or date of their own (a regulation issued with a decision, a
  conference paper, a list) are left alone, and so is any document that says it is issued
  with another ("Ban hành kèm theo Quyết định số …": Metadata.issued_with);
- a copy taken before issuance shows a placeholder number ("Số: /BC-UBND", "Số:……../BC-K4"):
  its number, date and signature come with issuance, so their absence is not an omission;
- a scan that shows a red seal is an issued document: it has its number, date and signer, and
  what OCR did not read of them was handwritten, stamped over or signed over (on 6 signed real
  scans every such flag was wrong);
- on a scan, a field whose line was read without it (a place without its date, a signature
  title without a name, a header without its handwritten number) is not flagged; any other
  absence on a scan is kept but rests on a reading of confidence OCR_ABSENT, so it is doubtful
  (checks.confidence).
"""
from __future__ import annotations

import re

from checks.context import Ctx
from checks.registry import make_flag, rule
from checks.text import fold
from models.report import Metadata, Severity

FIELDS: dict[str, Severity] = {
    "date": Severity.WARNING,
    "report_number": Severity.WARNING,
    "signer": Severity.INFO,
}
FIELD_NAMES = {"date": "ngày ban hành", "report_number": "số, ký hiệu", "signer": "tên người ký"}
# Kinds of document issued without a number and date of their own.
UNNUMBERED_KINDS = ("quy định", "quy chế", "điều lệ", "tham luận", "bài phát biểu", "phát biểu",
                    "danh sách", "phụ lục", "biểu mẫu", "biểu", "bản tự khai", "bản kiểm điểm",
                    "bản cam kết", "đề cương", "bản đăng ký", "bảng tổng hợp", "tổng hợp")
OCR_ABSENT = 0.5  # how far an absence read by OCR can be trusted


def applies(md: Metadata) -> bool:
    """The document's kind is known and carries a number, a date and a signature."""
    kind = fold(md.document_type or "")
    return bool(kind) and not any(kind == k or kind.startswith(k + " ") for k in UNNUMBERED_KINDS)


def _unread_on_a_scan(md: Metadata, name: str) -> bool:
    """On a scan, a field whose line was read without it is filled in by hand or under a seal,
    not missing: a place-and-date line read without its date ("Quảng Ngãi, ngày __ tháng 01 năm
    2025") has its day written in (a place only inferred from the issuer's name is no such line); a number left out of a header whose place line was read was
    written in too; a signature title read without a name has the name under the seal or the
    signature. (On 27 signed scans of real offices every such flag was wrong.)"""
    if name == "date" or name == "report_number":
        return md.dated_line
    if name == "signer":
        return bool((md.signer_title or "").strip())
    return False


def placeholder_number(number: str | None) -> bool:
    """"/BC-UBND", "……../BC-K4": the numeral is left for issuance."""
    head = (number or "").split("/")[0]
    return bool(number) and "/" in number and not re.search(r"\d", head)


@rule("missing_metadata", Severity.WARNING, "Thiếu thông tin văn bản", "Missing date, signer or number")
def missing_metadata(ctx: Ctx):
    md = ctx.report.metadata
    if not applies(md) or placeholder_number(md.report_number) or md.issued_with:
        return  # an attachment's number and date are its parent's (Metadata.issued_with)
    ocr = ctx.report.source.ocr
    if ocr and ctx.report.source.sealed:
        return  # an issued document: what OCR did not read was written by hand or is under the seal
    for name, sev in FIELDS.items():
        if ocr and _unread_on_a_scan(md, name):
            continue
        if not (getattr(md, name) or "").strip():
            evidence = {"field": name, "signer_title": md.signer_title} if name == "signer" \
                else {"field": name}
            if ocr:
                evidence["readings"] = [{"role": "absent", "raw": FIELD_NAMES[name],
                                         "confidence": OCR_ABSENT}]
            yield make_flag("missing_metadata", name, {}, severity=sev, evidence=evidence)
