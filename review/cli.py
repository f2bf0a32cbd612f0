"""The review commands of the `baocao` CLI: `baocao review` (the web app) and `baocao users add`.

`register(app)` adds them to the typer app of pipeline/cli.py; FastAPI, uvicorn and argon2 are
imported inside the commands, so other commands do not pay for them.
"""
from __future__ import annotations

import sys
from typing import Optional

import typer

DB_HELP = "Database URL (default: $BAOCAO_DB or sqlite:///baocao.sqlite), the one ingestion loads into."

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the review app.")


def _db(url: Optional[str]) -> str:
    from outputs.db.engine import default_db_url, normalize_url

    return normalize_url(url) if url else default_db_url()


def review_cmd(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the review web app: the flag queue, decisions, exports and report search."""
    import uvicorn

    from review.app import create_app

    app = create_app(_db(db))
    typer.echo(f"baocao review: http://{host}:{port}/  (database {app.state.db_url})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    again = typer.prompt("Repeat password", hide_input=True)
    if first != again:
        typer.echo("baocao: the passwords differ", err=True)
        raise typer.Exit(2)
    return first


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="The reviewer's user name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create a reviewer account (the password is stored as an argon2 hash)."""
    from outputs.db import session_scope
    from review.auth import add_user

    password = _read_password(password_stdin)
    try:
        with session_scope(_db(db)) as s:
            add_user(s, username, password)
    except ValueError as e:
        typer.echo(f"baocao: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"baocao: user {username.strip()!r} added", err=True)


@users_app.command("list")
def users_list(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """List the reviewer accounts."""
    from outputs.db import session_scope
    from review.store import list_users

    with session_scope(_db(db)) as s:
        for u in list_users(s):
            typer.echo(f"{u.username}\t{u.created_at:%Y-%m-%d %H:%M}")


def register(app: typer.Typer) -> None:
    app.command("review")(review_cmd)
    app.add_typer(users_app, name="users")
