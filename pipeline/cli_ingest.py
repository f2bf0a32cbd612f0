"""The database commands of the `baocao` CLI: ingest, flags, runs, export, serve.

`register(app)` adds them to the typer app of pipeline/cli.py. Heavy imports (Prefect,
SQLAlchemy) happen inside the commands, so `baocao extract` does not pay for them. The database
is `--db URL`, else $BAOCAO_DB, else sqlite:///baocao.sqlite.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

DB_HELP = "Database URL (default: $BAOCAO_DB or sqlite:///baocao.sqlite; PostgreSQL: postgresql+psycopg://user@host/db)."
FLAG_LIMIT = 50


def _db(url: Optional[str]) -> str:
    from outputs.db.engine import default_db_url, normalize_url

    return normalize_url(url) if url else default_db_url()


def _console(stderr: bool = False):
    """A terminal's own width; 160 columns when the output goes to a file or a pipe (rich
    would otherwise assume 80 and squeeze the flag tables' columns to nothing)."""
    import os
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return Console(stderr=stderr, width=width)


def summary_table(summary: dict[str, Any]):
    from rich.table import Table

    t = Table(title=f"Run {summary.get('run_id', '')}", show_header=False)
    for k in ("found", "new", "changed", "unchanged", "failed", "flags", "carried_decisions"):
        t.add_row(k, str(summary.get(k, 0)))
    t.add_row("seconds", f"{summary.get('seconds', 0):.1f}")
    if summary.get("docs_per_second"):
        t.add_row("docs/s", f"{summary['docs_per_second']:.2f}")
    for rule, n in summary.get("flags_by_rule", {}).items():
        t.add_row(f"  flags: {rule}", str(n))
    return t


def flags_table(rows, title: str):
    from rich.table import Table

    t = Table(title=title)
    t.add_column("id", justify="right")
    t.add_column("document", no_wrap=True, max_width=30, overflow="ellipsis")
    t.add_column("rule", no_wrap=True)
    t.add_column("section", no_wrap=True)
    t.add_column("stated", max_width=14, overflow="fold")
    t.add_column("status", no_wrap=True)
    t.add_column("message", ratio=1, overflow="fold")
    for f, path in rows:
        t.add_row(str(f.id), Path(path).name, f.rule, f.section or "", f.stated or "", f.status, f.message)
    return t


def _print_quarantine(console, summary: dict[str, Any]) -> None:
    for q in summary.get("quarantined", []):
        console.print(f"[yellow]quarantined[/yellow] {q['path']} ({q['kind']}): {q['reason']}")


def _run_flags(db_url: str, run_id: int):
    """(open flags of the versions this run loaded, open flags in the whole database)."""
    from outputs.db import session_scope
    from outputs.db.queries import count_flags, list_flags

    with session_scope(db_url, readonly=True) as s:
        return list_flags(s, status="open", run_id=run_id), count_flags(s, status="open")


def ingest_cmd(
    path: Path = typer.Argument(..., help="A folder (searched recursively) or a file."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Worker processes (not used with --dask)."),
    pattern: Optional[str] = typer.Option(None, "--pattern", help='Glob the files must match, e.g. "*.pdf".'),
    dask: Optional[str] = typer.Option(None, "--dask", help="Dask scheduler address (tcp://host:8786): "
                                                            "spread documents over a Dask cluster."),
    quarantine_dir: Optional[Path] = typer.Option(None, "--quarantine-dir", help="Copy bad files here."),
    no_prefect: bool = typer.Option(False, "--no-prefect", help="Run the same ingestion without Prefect."),
) -> None:
    """Load reports into the database (unchanged ones skipped); show the summary and open flags."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.prefect_env import configure

    if dask and no_prefect:
        raise typer.BadParameter("--dask needs Prefect (drop --no-prefect)", param_hint="--dask")
    configure(quiet=True)
    db_url = _db(db)
    console = _console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        job = bar.add_task("starting…" if not no_prefect else "ingesting", total=None)

        def on_progress(event: str, payload: Any) -> None:
            if event == "found":
                bar.update(job, total=payload, description="ingesting")
            elif event == "done":
                bar.update(job, advance=1, description=f"{Path(payload.path).name[:40]:<40} {payload.status}")

        if no_prefect:
            from pipeline.discovery import discover
            from pipeline.ingest import ingest_plain

            bar.update(job, total=len(discover([path], pattern)))
            summary = ingest_plain(path, db_url, pattern=pattern, workers=workers,
                                   quarantine_dir=str(quarantine_dir) if quarantine_dir else None,
                                   on_done=lambda o: on_progress("done", o))
        else:
            from pipeline.flows import run_ingest

            summary = run_ingest(str(path), db_url, pattern=pattern, workers=workers, dask_address=dask,
                                 quarantine_dir=str(quarantine_dir) if quarantine_dir else None,
                                 on_progress=on_progress)
        bar.update(job, description="done")
    console.print(summary_table(summary))
    _print_quarantine(console, summary)
    rows, open_total = _run_flags(db_url, summary["run_id"])
    if rows:
        console.print(flags_table(rows[:FLAG_LIMIT], f"{len(rows)} open flag(s) in the documents loaded now"))
        if len(rows) > FLAG_LIMIT:
            console.print(f"… and {len(rows) - FLAG_LIMIT} more: baocao flags --status open")
    else:
        console.print("[green]No new flags.[/green]")
    console.print(f"{open_total} open flag(s) in the database: baocao flags --status open")


def flags_cmd(
    rule: Optional[str] = typer.Option(None, "--rule", help="Only this rule."),
    status: Optional[str] = typer.Option(None, "--status", help="open | confirmed | dismissed | corrected"),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    all_versions: bool = typer.Option(False, "--all-versions", help="Include superseded versions."),
    limit: int = typer.Option(0, "--limit", help="At most this many (0: all)."),
) -> None:
    """List the flags of the loaded documents (current versions)."""
    from outputs.db import session_scope
    from outputs.db.models import FLAG_STATUSES
    from outputs.db.queries import list_flags

    if status and status not in FLAG_STATUSES:
        raise typer.BadParameter(f"use one of {', '.join(FLAG_STATUSES)}", param_hint="--status")
    with session_scope(_db(db), readonly=True) as s:
        rows = list_flags(s, rule=rule, status=status, current_only=not all_versions)
        shown = rows[:limit] if limit else rows
        _console().print(flags_table(shown, f"{len(rows)} flag(s)"))


def runs_cmd(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
             limit: int = typer.Option(20, "--limit", help="The most recent N runs (0: all).")) -> None:
    """List ingestion runs with their summaries."""
    from rich.table import Table

    from outputs.db import session_scope
    from outputs.db.queries import list_runs

    t = Table(title="Runs")
    for col in ("id", "started", "status", "source", "found", "new", "unchanged", "failed", "flags", "seconds"):
        t.add_column(col, overflow="fold")
    with session_scope(_db(db), readonly=True) as s:
        for r in list_runs(s, limit or None):
            sm = r.summary or {}
            t.add_row(str(r.id), r.started_at.strftime("%Y-%m-%d %H:%M:%S"), r.status, r.source,
                      *(str(sm.get(k, "")) for k in ("found", "new", "unchanged", "failed", "flags", "seconds")))
    _console().print(t)


def export_cmd(
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (report records) | csv (flags)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (default: standard output)."),
) -> None:
    """Export the current report records (JSON Lines) or the flags (CSV)."""
    from outputs.db import session_scope
    from outputs.export import EXPORTERS

    if fmt not in EXPORTERS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORTERS)}", param_hint="--format")
    with session_scope(_db(db), readonly=True) as s:
        if out is None:
            n = EXPORTERS[fmt](s, sys.stdout)
        else:
            with open(out, "w", encoding="utf-8", newline="" if fmt == "csv" else None) as fh:
                n = EXPORTERS[fmt](s, fh)
    typer.echo(f"baocao: exported {n} {'record' if fmt == 'jsonl' else 'flag'}(s)", err=True)


def serve_cmd(
    source: Path = typer.Option(..., "--source", help="The folder to ingest on every run."),
    cron: str = typer.Option("0 2 * * *", "--cron", help="Cron schedule (default: every night at 02:00)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(2, "--workers", "-w", min=1),
    pattern: Optional[str] = typer.Option(None, "--pattern"),
    timezone: str = typer.Option("Asia/Ho_Chi_Minh", "--timezone", help="Time zone of the cron schedule."),
    name: str = typer.Option("nightly", "--name", help="Deployment name."),
) -> None:
    """Run the ingestion flow on a cron schedule (a Prefect server is needed: docs/nightly.md)."""
    from pipeline.prefect_env import configure

    configure()
    from prefect import serve

    from pipeline.flows import nightly_deployment

    serve(nightly_deployment(str(source), _db(db), cron=cron, timezone=timezone, workers=workers,
                             pattern=pattern, name=name))


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
    app.command("flags")(flags_cmd)
    app.command("runs")(runs_cmd)
    app.command("export")(export_cmd)
    app.command("serve")(serve_cmd)
