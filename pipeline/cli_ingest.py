"""The database commands of the `baocao` CLI: ingest, flags, runs, export, serve, worker.

`register(app)` adds them to the typer app of pipeline/cli.py. Heavy imports (Prefect,
SQLAlchemy) happen inside the commands, so `baocao extract` does not pay for them. The database
is `--db URL`, else $BAOCAO_DB, else sqlite:///baocao.sqlite.

Exit codes of `baocao ingest`, for scripts: 0 every document found was loaded (or already was),
1 some documents failed (they are quarantined: `baocao runs --last`), 2 the run could not start
or did not finish (missing source, database unreachable, no Prefect server for --dask),
130 interrupted (Ctrl-C, SIGTERM).
"""
from __future__ import annotations

import sys
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, Optional

import typer

DB_HELP = "Database URL (default: $BAOCAO_DB or sqlite:///baocao.sqlite; PostgreSQL: postgresql+psycopg://user@host/db)."
FLAG_LIMIT = 50
EXIT_OK, EXIT_FAILED_DOCUMENTS, EXIT_CANNOT_RUN, EXIT_INTERRUPTED = 0, 1, 2, 130
TIMEOUT_HELP = ("Seconds one document may take before its worker is stopped and it is quarantined as "
                "'timeout' (default: $BAOCAO_DOC_TIMEOUT or 300; each PDF page adds $BAOCAO_PAGE_TIMEOUT "
                "or 30; 0: no limit).")


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
    for k in ("found", "new", "changed", "unchanged", "failed", "flags", "carried_decisions", "reopened"):
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


def _fail(message: str, code: int = EXIT_CANNOT_RUN) -> None:
    typer.echo(f"baocao: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _interruptible() -> Iterator[None]:
    """Inside the block SIGTERM (systemd, kill) stops a run like Ctrl-C does — the run is closed
    as failed, the worker processes and the temporary Prefect server stopped — and Ctrl-C works
    even when the process was started with SIGINT ignored."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    if before[signal.SIGINT] == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        for s, h in before.items():
            signal.signal(s, h)


def ingest_cmd(
    path: Path = typer.Argument(..., help="A folder (searched recursively) or a file."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Worker processes (not used with --dask)."),
    pattern: Optional[str] = typer.Option(None, "--pattern", help='Glob the files must match, e.g. "*.pdf".'),
    dask: Optional[str] = typer.Option(None, "--dask", help="Dask scheduler address (tcp://host:8786): "
                                                            "spread documents over a Dask cluster (needs a "
                                                            "Prefect server: PREFECT_API_URL)."),
    quarantine_dir: Optional[Path] = typer.Option(None, "--quarantine-dir", help="Copy bad files here."),
    doc_timeout: Optional[float] = typer.Option(None, "--doc-timeout", min=0, help=TIMEOUT_HELP),
    no_prefect: bool = typer.Option(False, "--no-prefect", help="Run the same ingestion without Prefect."),
) -> None:
    """Load reports into the database (unchanged ones skipped); show the summary and open flags.

    Exit code 0: all loaded; 1: some documents failed (quarantined); 2: the run could not start."""
    from pipeline.prefect_env import configure

    if dask and no_prefect:
        raise typer.BadParameter("--dask needs Prefect (drop --no-prefect)", param_hint="--dask")
    configure(quiet=True)
    with _interruptible():
        summary = _ingest(path, db, workers, pattern, dask, quarantine_dir, doc_timeout, no_prefect)
    _report_ingest(summary, _db(db))


def _ingest(path: Path, db: Optional[str], workers: int, pattern: Optional[str], dask: Optional[str],
            quarantine_dir: Optional[Path], doc_timeout: Optional[float], no_prefect: bool) -> dict[str, Any]:
    """The run of `baocao ingest` with its progress bar; exits 2 when it cannot start or finish."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.ingest import CannotStart, check_database, check_source
    from pipeline.prefect_env import NeedsPrefectServer

    db_url = _db(db)
    try:
        check_source(path)
        check_database(db_url)
        if dask:
            from pipeline.prefect_env import require_server

            require_server("--dask")
    except (CannotStart, NeedsPrefectServer) as e:
        _fail(str(e))
    console = _console()
    try:
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
                summary = ingest_plain(path, db_url, pattern=pattern, workers=workers, doc_timeout=doc_timeout,
                                       quarantine_dir=str(quarantine_dir) if quarantine_dir else None,
                                       on_done=lambda o: on_progress("done", o))
            else:
                from pipeline.flows import run_ingest

                summary = run_ingest(str(path), db_url, pattern=pattern, workers=workers, dask_address=dask,
                                     quarantine_dir=str(quarantine_dir) if quarantine_dir else None,
                                     doc_timeout=doc_timeout, on_progress=on_progress)
            bar.update(job, description="done")
    except (CannotStart, NeedsPrefectServer) as e:
        _fail(str(e))
    except Exception as e:  # noqa: BLE001 - the run could not finish: say why, exit 2
        first = str(e).strip().splitlines()
        _fail(f"the run did not finish: {type(e).__name__}: {first[0] if first else ''}")
    except BaseException as e:  # Ctrl-C; SIGTERM (Prefect's TerminationSignal while the flow runs)
        if isinstance(e, (SystemExit, GeneratorExit)):
            raise
        _fail("interrupted; the documents loaded so far are kept, the next run loads the rest", EXIT_INTERRUPTED)
    return summary


def _report_ingest(summary: dict[str, Any], db_url: str) -> None:
    """The end of `baocao ingest`: summary, quarantine, open flags; exit 1 when documents failed."""
    console = _console()
    console.print(summary_table(summary))
    _print_quarantine(console, summary)
    try:
        rows, open_total = _run_flags(db_url, summary["run_id"])
    except Exception as e:  # noqa: BLE001 - the database went away at the end
        console.print(f"[red]cannot list the flags: {type(e).__name__}: {e}[/red]")
        rows, open_total = [], 0
    if rows:
        console.print(flags_table(rows[:FLAG_LIMIT], f"{len(rows)} open flag(s) in the documents loaded now"))
        if len(rows) > FLAG_LIMIT:
            console.print(f"… and {len(rows) - FLAG_LIMIT} more: baocao flags --status open")
    else:
        console.print("[green]No new flags.[/green]")
    console.print(f"{open_total} open flag(s) in the database: baocao flags --status open")
    if summary.get("reopened"):
        console.print(f"[yellow]{summary['reopened']} review decision(s) re-opened[/yellow] (the flag's value "
                      "changed): baocao flags --status needs-review")
    if summary.get("failed"):
        console.print(f"[bold red]{summary['failed']} of {summary['found']} document(s) failed[/bold red] "
                      "(quarantined): baocao runs --last")
        raise typer.Exit(EXIT_FAILED_DOCUMENTS)


def flags_cmd(
    rule: Optional[str] = typer.Option(None, "--rule", help="Only this rule."),
    status: Optional[str] = typer.Option(None, "--status",
                                         help="open | confirmed | dismissed | corrected | needs-review"),
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
             limit: int = typer.Option(20, "--limit", help="The most recent N runs (0: all)."),
             last: bool = typer.Option(False, "--last", help="The report of the latest run: new, changed and "
                                                             "failed documents with the reasons."),
             run: Optional[int] = typer.Option(None, "--run", help="The report of this run.")) -> None:
    """List ingestion runs with their summaries, or show one run's report (--last, --run ID).

    With --last/--run the exit code says how the run went: 0 ok, 1 documents failed, 2 the run
    did not finish."""
    from rich.table import Table

    from outputs.db import session_scope
    from outputs.db.queries import list_runs
    from outputs.db.runs import run_report
    from pipeline import spool
    from pipeline.runreport import print_report

    url = _db(db)
    console = _console()
    if last or run is not None:
        with session_scope(url, readonly=True) as s:
            rep = run_report(s, run)
        pending = len(spool.pending(url))
        if rep is None:
            _fail("no run yet" if run is None else f"no run {run}")
        print_report(rep, console, pending)
        if rep.status not in ("completed", "running"):
            raise typer.Exit(EXIT_CANNOT_RUN)
        if not rep.ok and rep.status == "completed":
            raise typer.Exit(EXIT_FAILED_DOCUMENTS)
        return
    t = Table(title="Runs")
    for col in ("id", "started", "result", "status", "source", "found", "new", "changed", "unchanged", "failed",
                "flags", "seconds"):
        t.add_column(col, overflow="fold")
    with session_scope(url, readonly=True) as s:
        for r in list_runs(s, limit or None):
            sm = r.summary or {}
            if r.status == "running":
                result = "running"
            elif r.status != "completed":
                result = f"[bold red]{r.status.upper()}[/bold red]"
            else:
                result = f"[bold red]{sm.get('failed')} FAILED[/bold red]" if sm.get("failed") else "[green]ok[/green]"
            t.add_row(str(r.id), r.started_at.strftime("%Y-%m-%d %H:%M:%S"), result, r.status, r.source,
                      *(str(sm.get(k, "")) for k in ("found", "new", "changed", "unchanged", "failed", "flags",
                                                      "seconds")))
    console.print(t)
    pending = len(spool.pending(url))
    if pending:
        console.print(f"[bold red]{pending} failure(s) waiting in {spool.spool_file(url)}[/bold red] "
                      "(the database was down): recorded at the start of the next run.")


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
    doc_timeout: Optional[float] = typer.Option(None, "--doc-timeout", min=0, help=TIMEOUT_HELP),
) -> None:
    """Run the ingestion flow on a cron schedule, until stopped (needs a Prefect server).

    The Prefect server (PREFECT_API_URL) keeps the schedule and starts the runs (docs/nightly.md);
    Ctrl-C or SIGTERM stop serving within seconds."""
    from pipeline.prefect_env import NeedsPrefectServer, configure, require_server, restore_interrupts

    configure()
    restore_interrupts()
    try:
        url = require_server("baocao serve")
    except NeedsPrefectServer as e:
        _fail(str(e))
    from pipeline.ingest import CannotStart, check_database, check_source

    db_url = _db(db)
    for check, arg in ((check_source, source), (check_database, db_url)):
        try:
            check(arg)
        except CannotStart as e:  # it may be there by the time of the run: say so, serve anyway
            typer.echo(f"baocao: warning: {e}", err=True)
    from pipeline.flows import nightly_deployment
    from pipeline.serving import serve_deployment

    typer.echo(f"baocao: the Prefect server at {url} runs it on the schedule {cron} ({timezone})", err=True)
    serve_deployment(nightly_deployment(str(source), db_url, cron=cron, timezone=timezone, workers=workers,
                                        pattern=pattern, name=name, doc_timeout=doc_timeout),
                     echo=lambda m: typer.echo(m, err=True))


def worker_cmd(
    pool: str = typer.Option("baocao", "--pool", help="The work pool to take runs from."),
    extra: Optional[list[str]] = typer.Argument(None, help="More `prefect worker start` options (after --)."),
) -> None:
    """Start a Prefect worker for the deployment of prefect.yaml (needs a Prefect server).

    `prefect worker start --pool POOL`, started so that SIGTERM and Ctrl-C stop it within seconds
    (a worker started from a script with SIGINT ignored would not stop)."""
    import os
    import shutil
    import signal

    from pipeline.prefect_env import NeedsPrefectServer, configure, require_server

    configure()
    try:
        require_server("baocao worker")
    except NeedsPrefectServer as e:
        _fail(str(e))
    exe = Path(sys.executable).with_name("prefect")
    prefect = str(exe) if exe.exists() else shutil.which("prefect")
    if not prefect:
        _fail("the `prefect` command is not installed")
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # kept across exec (an ignored SIGINT would be too)
    sys.stdout.flush()
    os.execv(prefect, [prefect, "worker", "start", "--pool", pool, *(extra or [])])


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
    app.command("flags")(flags_cmd)
    app.command("runs")(runs_cmd)
    app.command("export")(export_cmd)
    app.command("serve")(serve_cmd)
    app.command("worker")(worker_cmd)
