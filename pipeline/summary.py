"""A readable summary of one report for the terminal (rich)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable
from rich.tree import Tree

from models.report import Report


def print_summary(report: Report, console: Console | None = None) -> None:
    c = console or Console()
    m = report.metadata
    c.rule(f"[bold]{report.source.path}")
    c.print(f"[bold]{(m.document_type or 'văn bản').upper()}[/bold] {m.title or ''}")
    meta = RichTable(show_header=False, box=None)
    for label, value in [("Cơ quan", m.issuer), ("Số", m.report_number), ("Nơi, ngày", f"{m.place or ''} {m.date or ''}".strip()),
                         ("Kỳ báo cáo", f"{m.period.label or ''} ({m.period.start or '?'} → {m.period.end or '?'})" if m.period.label else None),
                         ("Người ký", f"{m.signer_title or ''} {m.signer or ''}".strip() or None),
                         ("Nguồn", f"{report.source.format.value}, {report.source.encoding.value}" + (", OCR" if report.source.ocr else ""))]:
        meta.add_row(label, value or "[dim]—[/dim]")
    c.print(meta)
    tree = Tree("Mục")
    nodes: dict[str, Tree] = {}
    for s in report.sections:
        parent = nodes.get(s.number.rsplit(".", 1)[0]) if "." in s.number else None
        label = f"{s.number}. {s.title}" + (" [yellow](trống)[/yellow]" if s.empty else "")
        nodes[s.number] = (parent or tree).add(label)
    c.print(tree)
    c.print(f"{len(report.tables)} bảng, {len(report.figures)} số liệu, {len(report.references)} văn bản dẫn chiếu")
    if report.flags:
        ft = RichTable(title=f"{len(report.flags)} cảnh báo", show_lines=False)
        for col in ("rule", "severity", "section", "message"):
            ft.add_column(col)
        for f in report.flags:
            ft.add_row(f.rule, f.severity.value, f.section or "", f.message)
        c.print(ft)
    else:
        c.print("[green]Không có cảnh báo.[/green]")
