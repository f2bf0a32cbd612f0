"""The `baocao` command line. Heavy imports (Prefect, SQLAlchemy, NLP) happen inside the
commands that need them, so `baocao extract` starts quickly."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="baocao: legacy Vietnamese administrative reports → structured, checked records.")


@app.callback()
def _root() -> None:
    """baocao: legacy Vietnamese administrative reports → structured, checked records."""


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Report files or folders (searched recursively)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON record per document, one per line."),
    no_checks: bool = typer.Option(False, "--no-checks", help="Skip the consistency checks."),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON (one document only)."),
) -> None:
    """Read reports and print their records (sections, tables, figures, references, flags)."""
    from extractors.readers import read_document
    from extractors.report import extract_report
    from models.errors import InputError
    from pipeline.discovery import discover, path_problem, printable

    files = discover(paths)
    if not files:
        typer.echo("baocao: no report files found in " + ", ".join(map(printable, paths)), err=True)
        raise typer.Exit(2)
    failed = 0
    for f in files:
        problem = path_problem(f)  # a bad path (loop, undecodable name, unreadable) is that file's error
        if problem is not None:
            failed += 1
            typer.echo(f"baocao: {printable(f)}: {problem.reason}", err=True)
            continue
        try:
            report = extract_report(read_document(f), run_checks=not no_checks)
        except InputError as e:
            failed += 1
            typer.echo(f"baocao: {printable(e.path)}: {e.reason}", err=True)
            continue
        except Exception as e:  # a bug must not stop the other files
            failed += 1
            typer.echo(f"baocao: {printable(f)}: internal error ({type(e).__name__}: {e})", err=True)
            continue
        if json_out:
            sys.stdout.write(report.to_json(indent=2 if pretty else None) + "\n")
            sys.stdout.flush()
        else:
            from pipeline.summary import print_summary

            print_summary(report)
    if failed:
        typer.echo(f"baocao: {failed} of {len(files)} file(s) failed", err=True)
        raise typer.Exit(1)


from pipeline import cli_ingest  # noqa: E402  (ingest, flags, runs, export, serve)
cli_ingest.register(app)
from review import cli as review_cli  # noqa: E402  (review, users)
review_cli.register(app)


def main() -> None:  # console script entry point
    app()


if __name__ == "__main__":
    main()
