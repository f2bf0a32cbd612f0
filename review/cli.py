"""The review commands of the `baocao` CLI: `baocao review` (the web app) and `baocao users …`
(add, list, set-role, set-password, disable, enable, remove).

`register(app)` adds them to the typer app of pipeline/cli.py; FastAPI, uvicorn and argon2 are
imported inside the commands, so other commands do not pay for them.
"""
from __future__ import annotations

import sys
from typing import Callable, Optional

import typer

DB_HELP = "Database URL (default: $BAOCAO_DB or sqlite:///baocao.sqlite), the one ingestion loads into."
ROLE_HELP = "reviewer (decides on flags), archivist (also exports), admin (also manages accounts)."

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the review app.")


def _db(url: Optional[str]) -> str:
    from outputs.db.engine import default_db_url, normalize_url

    return normalize_url(url) if url else default_db_url()


def review_cmd(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    https: bool = typer.Option(False, "--https", help="Served over HTTPS: Secure cookies and HSTS. With "
                               "--ssl-certfile/--ssl-keyfile the app speaks TLS itself."),
    behind_proxy: bool = typer.Option(False, "--behind-proxy", help="Behind a TLS-terminating reverse proxy: "
                                      "trust its X-Forwarded-For/-Proto (client addresses for login "
                                      "throttling) and use Secure cookies."),
    forwarded_allow_ips: str = typer.Option("127.0.0.1", "--forwarded-allow-ips",
                                            help="Addresses of the proxy whose X-Forwarded-* headers are trusted."),
    ssl_certfile: Optional[str] = typer.Option(None, "--ssl-certfile", help="TLS certificate (PEM)."),
    ssl_keyfile: Optional[str] = typer.Option(None, "--ssl-keyfile", help="TLS private key (PEM)."),
) -> None:
    """Serve the review web app: the flag queue, decisions, exports and report search."""
    import uvicorn

    from review.app import create_app

    secure = https or behind_proxy or bool(ssl_certfile)
    app = create_app(_db(db), https_only=secure)
    scheme = "https" if secure else "http"
    typer.echo(f"baocao review: {scheme}://{host}:{port}/  (database {app.state.db_url})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=behind_proxy,
                forwarded_allow_ips=forwarded_allow_ips if behind_proxy else None,
                ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile, server_header=False)


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


def _run(db: Optional[str], action: Callable, done: str) -> None:
    from outputs.db import session_scope

    try:
        with session_scope(_db(db)) as s:
            action(s)
    except ValueError as e:
        typer.echo(f"baocao: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"baocao: {done}", err=True)


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="The user name."),
    role: str = typer.Option("reviewer", "--role", help=ROLE_HELP),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create an account (the password is stored as an argon2 hash)."""
    from review.auth import add_user, check_role

    try:
        check_role(role)
    except ValueError as e:
        typer.echo(f"baocao: {e}", err=True)
        raise typer.Exit(1)
    password = _read_password(password_stdin)
    _run(db, lambda s: add_user(s, username, password, role), f"user {username.strip()!r} added ({role})")


@users_app.command("list")
def users_list(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """List the accounts: name, role, enabled or disabled, created."""
    from outputs.db import session_scope
    from review.store import list_users

    with session_scope(_db(db)) as s:
        for u in list_users(s):
            typer.echo(f"{u.username}\t{u.role}\t{'disabled' if u.disabled else 'enabled'}\t{u.created_at:%Y-%m-%d %H:%M}")


@users_app.command("set-role")
def users_set_role(username: str = typer.Argument(...), role: str = typer.Argument(..., help=ROLE_HELP),
                   db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Change an account's role (takes effect on its next request)."""
    from review.auth import set_role

    _run(db, lambda s: set_role(s, username, role), f"user {username!r} is now {role}")


@users_app.command("set-password")
def users_set_password(
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Set a new password; the account's open sessions end."""
    from review.auth import set_password

    password = _read_password(password_stdin)
    _run(db, lambda s: set_password(s, username, password), f"new password for {username!r}; its sessions ended")


@users_app.command("disable")
def users_disable(username: str = typer.Argument(...),
                  db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Disable an account: it cannot sign in and its open sessions end."""
    from review.auth import set_disabled

    _run(db, lambda s: set_disabled(s, username, True), f"user {username!r} disabled; its sessions ended")


@users_app.command("enable")
def users_enable(username: str = typer.Argument(...),
                 db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Enable a disabled account again."""
    from review.auth import set_disabled

    _run(db, lambda s: set_disabled(s, username, False), f"user {username!r} enabled")


@users_app.command("remove")
def users_remove(username: str = typer.Argument(...),
                 db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Delete an account (its decisions keep the reviewer's name)."""
    from review.auth import remove_user

    _run(db, lambda s: remove_user(s, username), f"user {username!r} removed")


def register(app: typer.Typer) -> None:
    app.command("review")(review_cmd)
    app.add_typer(users_app, name="users")
