"""Bilingual message templates for flags (Vietnamese for Flag.message, English for message_en).

One entry per (rule, variant); a template is formatted with the check's parameters. Numbers are
passed already written the Vietnamese way (extractors.text.numbers.format_vn) so both languages show
the figure as the report writes it.
"""
from __future__ import annotations

from typing import Any

from extractors.text.numbers import format_vn

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "total_mismatch": {
        "default": (
            "Bảng {table}, cột «{column}»: dòng tổng ghi {stated} nhưng cộng các dòng được {computed}.",
            "Table {table}, column “{column}”: the total row says {stated} but the rows add up to {computed}.",
        ),
        "malformed": (
            "Bảng {table}, cột «{column}»: dòng tổng ghi «{stated}», không phải số viết đúng quy cách; "
            "cộng các dòng được {computed}.",
            "Table {table}, column “{column}”: the total row says “{stated}”, not a well-formed number; "
            "the rows add up to {computed}.",
        ),
    },
    "row_sum_mismatch": {
        "sum": (
            "Bảng {table}, dòng «{row_label}»: {parts} = {computed}, nhưng cột «{column}» ghi {stated}.",
            "Table {table}, row “{row_label}”: {parts} = {computed}, but column “{column}” says {stated}.",
        ),
        "sum_part": (
            "Bảng {table}, dòng «{row_label}»: ô «{column}» ghi {stated}; để dòng cộng đúng "
            "({whole} = {whole_value}) ô này phải là {expected}.",
            "Table {table}, row “{row_label}”: cell “{column}” says {stated}; for the row to add up "
            "({whole} = {whole_value}) it would be {expected}.",
        ),
        "exceeds": (
            "Bảng {table}, dòng «{row_label}»: «{column}» ({stated}) lớn hơn «{whole}» ({whole_value}); "
            "một phần không thể lớn hơn tổng.",
            "Table {table}, row “{row_label}”: “{column}” ({stated}) exceeds “{whole}” ({whole_value}); "
            "a part cannot exceed its whole.",
        ),
        "children": (
            "Bảng {table}, dòng «{row_label}», cột «{column}»: ghi {stated} nhưng các dòng con cộng lại "
            "được {computed}.",
            "Table {table}, row “{row_label}”, column “{column}”: says {stated} but its sub-rows add up "
            "to {computed}.",
        ),
        "child_exceeds": (
            "Bảng {table}, dòng «{row_label}», cột «{column}»: {stated} lớn hơn dòng tổng «{parent}» "
            "({whole_value}).",
            "Table {table}, row “{row_label}”, column “{column}”: {stated} exceeds its parent row "
            "“{parent}” ({whole_value}).",
        ),
    },
    "prose_table_mismatch": {
        "default": (
            "Văn bản ghi {stated} {unit} nhưng bảng {table} ({where}) ghi {table_value}.",
            "The text says {stated} {unit} but table {table} ({where_en}) says {table_value}.",
        ),
    },
    "count_mismatch": {
        "complement": (
            "Ghi {verb} {stated}/{total} {unit} và còn {rest} {unit} chưa {verb}, nhưng {stated} + {rest} = "
            "{sum}, không phải {total} (theo tổng thì số {verb} là {computed}).",
            "States {verb} {stated}/{total} {unit} and {rest} {unit} not yet, but {stated} + {rest} = {sum}, "
            "not {total} (by the total, {computed}).",
        ),
        "default": (
            "Ghi {stated} {unit} nhưng các phần liệt kê cộng lại được {computed} ({parts}).",
            "States {stated} {unit} but the listed parts add up to {computed} ({parts}).",
        ),
        "exceeds": (
            "Ghi {stated} {unit} nhưng các phần liệt kê đã là {computed} ({parts}), lớn hơn tổng.",
            "States {stated} {unit} but the listed parts already make {computed} ({parts}), more than "
            "the whole.",
        ),
    },
    "balance_mismatch": {
        "default": (
            "Số cuối kỳ ghi {stated_text}, nhưng {equation} = {computed} "
            "(đầu kỳ + tăng − giảm).",
            "The closing figure is {stated_text}, but {equation} = {computed} "
            "(opening + inflows − outflows).",
        ),
        "table": (
            "Bảng {table}, dòng «{row_label}»: cột «{column}» ghi {stated}, nhưng {equation} = "
            "{computed} (đầu kỳ + tăng − giảm).",
            "Table {table}, row “{row_label}”: column “{column}” says {stated}, but {equation} = "
            "{computed} (opening + inflows − outflows).",
        ),
    },
    "implausible_percentage": {
        "default": (
            "Tỷ lệ «{stated}» vượt quá 100% của một tổng thể ({context}).",
            "The share “{stated}” is above 100% of a whole ({context}).",
        ),
    },
    "ratio_mismatch": {
        "default": (
            "{part}/{whole} {unit} là {computed}%, nhưng văn bản ghi {stated}.",
            "{part} of {whole} {unit} is {computed}%, but the text says {stated}.",
        ),
        "plan": (
            "Thực hiện {part} trên {plan} {whole} {unit} là {computed}%, nhưng văn bản ghi {stated} {plan}.",
            "{part} against a {plan} of {whole} {unit} is {computed}%, but the text says {stated}.",
        ),
        "plan_table": (
            "Bảng {table} ({where}): «{result_col}» {result} trên «{plan_col}» {plan_value} là "
            "{computed}%, nhưng văn bản ghi đạt {stated}.",
            "Table {table} ({where_en}): “{result_col}” {result} against “{plan_col}” {plan_value} is "
            "{computed}%, but the text says {stated}.",
        ),
    },
    "reference_mismatch": {
        "default": (
            "Cùng một văn bản ({kind} số {number} của {issuer}) được ghi ký hiệu {stated} và {expected}; "
            "ký hiệu đúng có lẽ là {expected}.",
            "The same document ({kind} {number} of {issuer}) is cited as {stated} and {expected}; "
            "the right code is probably {expected}.",
        ),
        "same_day": (
            "Cùng một văn bản ({kind} số {number} ngày {date}, về {subject}) được ghi ký hiệu {stated} và "
            "{expected}; ký hiệu đúng có lẽ là {expected}.",
            "The same document ({kind} {number} of {date}, on {subject}) is cited as {stated} and "
            "{expected}; the right code is probably {expected}.",
        ),
    },
    "empty_section": {
        "default": (
            "Mục «{label} {title}» không có nội dung.",
            "Section “{label} {title}” has nothing under it.",
        ),
    },
    "numbering_error": {
        "skip": (
            "Số mục nhảy cóc: sau «{previous}» là «{stated}», thiếu «{expected}».",
            "Section numbering skips: “{stated}” follows “{previous}”; “{expected}” is missing.",
        ),
        "repeat": (
            "Số mục bị lặp: «{stated}» xuất hiện hai lần liên tiếp.",
            "Section number repeated: “{stated}” appears twice in a row.",
        ),
        "order": (
            "Số mục không theo thứ tự: sau «{previous}» là «{stated}».",
            "Section numbers out of order: “{stated}” follows “{previous}”.",
        ),
    },
    "malformed_number": {
        "default": (
            "«{stated}» không phải số viết đúng quy cách tiếng Việt; có lẽ là {suggestion}.",
            "“{stated}” is not a well-formed Vietnamese number; probably {suggestion}.",
        ),
        "long_group": (
            "«{stated}» không phải số viết đúng quy cách tiếng Việt: sau dấu chấm hàng nghìn là nhóm "
            "{digits} chữ số «{group}», không phải 3.",
            "“{stated}” is not a well-formed Vietnamese number: the group after the thousands point "
            "has {digits} digits (“{group}”), not 3.",
        ),
    },
    "missing_metadata": {
        "date": ("Báo cáo không ghi ngày ban hành.", "The report has no date."),
        "signer": ("Báo cáo không ghi tên người ký.", "The report names no signer."),
        "report_number": ("Báo cáo không có số, ký hiệu.", "The report has no number."),
    },
    # the caveat that opens a doubtful flag's message (checks.confidence)
    "doubtful": {
        "default": (
            "Bản quét có thể bị đọc sai: số «{raw}» chỉ đọc được với độ tin cậy {confidence}%, "
            "cần đối chiếu bản gốc.",
            "The scan may be misread: “{raw}” was read with {confidence}% confidence; check the "
            "original.",
        ),
        "absent": (
            "Bản quét có thể bị đọc sai: con dấu, chữ ký hoặc chữ viết tay có thể che mất {raw}, "
            "cần đối chiếu bản gốc.",
            "The scan may be misread: a stamp, a signature or handwriting may hide this field ({raw}); "
            "check the original.",
        ),
        "heading": (
            "Bản quét có thể bị đọc sai: một đề mục giữa «{previous}» và «{raw}» có thể đã không "
            "được nhận ra, cần đối chiếu bản gốc.",
            "The scan may be misread: a heading between “{previous}” and “{raw}” may have been lost; "
            "check the original.",
        ),
    },
}


def num(v: Any) -> str:
    """A value as the report would write it."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return format_vn(float(v))
    return "" if v is None else str(v)


def render(rule_id: str, variant: str, params: dict[str, Any]) -> tuple[str, str]:
    vi, en = MESSAGES.get(rule_id, {}).get(variant) or MESSAGES.get(rule_id, {}).get(
        "default", (rule_id, rule_id))

    class _Safe(dict):
        def __missing__(self, k: str) -> str:
            return "?"

    p = _Safe({k: num(v) for k, v in params.items()})
    return " ".join(vi.format_map(p).split()), " ".join(en.format_map(p).split())


def suggestion_text(stated: str, value: float, reason_vi: str, reason_en: str) -> str:
    """'8.28 có lẽ là 828: … / 8.28 is probably 828: …'."""
    v = num(value)
    return f"{stated} có lẽ là {v}: {reason_vi} / {stated} is probably {v}: {reason_en}"
