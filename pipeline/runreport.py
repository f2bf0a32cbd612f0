"""The morning report of an ingestion run, for people: in the terminal (`baocao runs --last`)
and as a Markdown artifact on the flow run's page in the Prefect UI. Both show the same thing:
a one-line verdict, the counts, the documents loaded new and changed, every failure with its
reason, the review decisions re-opened, and failures still waiting in the local spool."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from outputs.db.runs import RunReport

LIST_LIMIT = 200  # documents listed per section (the counts are always complete)
COUNTS = ("found", "new", "changed", "unchanged", "failed", "flags", "carried_decisions", "reopened")


def _when(rep: RunReport) -> str:
    start = rep.started_at.strftime("%Y-%m-%d %H:%M:%S")
    return f"{start} → {rep.finished_at.strftime('%H:%M:%S')}" if rep.finished_at else f"{start} → (not finished)"


def _cell(text: Any) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")[:300]


def to_markdown(rep: RunReport, pending: int = 0) -> str:
    """The report as Markdown (the Prefect UI renders it on the flow run's Artifacts tab)."""
    sm = rep.summary
    mark = "✅" if rep.ok else "❌"
    lines = [f"# {mark} baocao run {rep.id}: {rep.verdict}", "",
             f"Source `{rep.source}`, {_when(rep)}, status **{rep.status}**.", "",
             "| " + " | ".join(COUNTS) + " |", "|" + "---|" * len(COUNTS),
             "| " + " | ".join(str(sm.get(k, 0)) for k in COUNTS) + " |", ""]
    if sm.get("error"):
        lines += [f"**Error:** {_cell(sm['error'])}", ""]
    if rep.failed:
        lines += [f"## Failed ({len(rep.failed)})", "", "| file | kind | reason |", "|---|---|---|"]
        lines += [f"| `{_cell(p)}` | {k} | {_cell(r)} |" for p, k, r in rep.failed[:LIST_LIMIT]]
        lines.append("")
    for title, paths in (("Changed (new versions)", rep.changed), ("New", rep.new)):
        if paths:
            lines += [f"## {title} ({len(paths)})", ""] + [f"- `{p}`" for p in paths[:LIST_LIMIT]]
            if len(paths) > LIST_LIMIT:
                lines.append(f"- … and {len(paths) - LIST_LIMIT} more")
            lines.append("")
    if rep.reopened:
        lines += [f"## Review decisions re-opened ({len(rep.reopened)})", "",
                  "| file | rule | section | what changed |", "|---|---|---|---|"]
        lines += [f"| `{_cell(p)}` | {r} | {_cell(s)} | {_cell(w)} |" for p, r, s, w in rep.reopened[:LIST_LIMIT]]
        lines.append("")
    if pending:
        lines += [f"**{pending} failure(s) could not be written to the database**; they are kept in the "
                  "local spool file and recorded at the start of the next run.", ""]
    return "\n".join(lines)


def print_report(rep: RunReport, console, pending: int = 0) -> None:
    """The report in the terminal (rich)."""
    from rich.table import Table

    style = "bold green" if rep.ok else "bold red"
    console.print(f"[{style}]Run {rep.id}: {rep.verdict}[/{style}]")
    console.print(f"source {rep.source}  {_when(rep)}  status {rep.status}")
    sm = rep.summary
    t = Table(show_header=True)
    for k in COUNTS:
        t.add_column(k, justify="right")
    t.add_row(*(str(sm.get(k, 0)) for k in COUNTS))
    console.print(t)
    if sm.get("error"):
        console.print(f"[red]error:[/red] {sm['error']}")
    if rep.failed:
        ft = Table(title=f"Failed ({len(rep.failed)})", title_style="bold red")
        ft.add_column("file", overflow="fold")
        ft.add_column("kind", no_wrap=True)
        ft.add_column("reason", overflow="fold", ratio=1)
        for p, k, r in rep.failed[:LIST_LIMIT]:
            ft.add_row(p, k, (r or "").splitlines()[0] if r else "")
        console.print(ft)
    for title, paths in (("Changed (new versions)", rep.changed), ("New", rep.new)):
        if paths:
            console.print(f"[bold]{title} ({len(paths)})[/bold]")
            for p in paths[:LIST_LIMIT]:
                console.print(f"  {Path(p)}")
            if len(paths) > LIST_LIMIT:
                console.print(f"  … and {len(paths) - LIST_LIMIT} more")
    if rep.reopened:
        rt = Table(title=f"Review decisions re-opened ({len(rep.reopened)}): status needs-review",
                   title_style="bold yellow")
        for col in ("file", "rule", "section", "what changed"):
            rt.add_column(col, overflow="fold")
        for p, r, s, w in rep.reopened[:LIST_LIMIT]:
            rt.add_row(Path(p).name, r, s or "", w)
        console.print(rt)
    if pending:
        console.print(f"[bold red]{pending} failure(s) could not be written to the database[/bold red]: kept in "
                      "the local spool file, recorded at the start of the next run.")
