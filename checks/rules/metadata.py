"""missing_metadata: the report states no date, no signer or no number (one flag per field).

A report without date or number cannot be cited or filed (warning); an unsigned report is
worth a note (info), since some offices send the signed copy separately.
"""
from __future__ import annotations

from checks.context import Ctx
from checks.registry import make_flag, rule
from models.report import Severity

FIELDS: dict[str, Severity] = {
    "date": Severity.WARNING,
    "report_number": Severity.WARNING,
    "signer": Severity.INFO,
}


@rule("missing_metadata", Severity.WARNING, "Thiếu thông tin văn bản", "Missing date, signer or number")
def missing_metadata(ctx: Ctx):
    md = ctx.report.metadata
    for name, sev in FIELDS.items():
        if not (getattr(md, name) or "").strip():
            yield make_flag("missing_metadata", name, {}, severity=sev,
                            evidence={"field": name, "signer_title": md.signer_title}
                            if name == "signer" else {"field": name})
