"""What every route of the review app shares: the templates (gettext, filters, labels),
database transactions, the signed-in-user and role dependencies and one-shot flash messages."""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from outputs.db.models import USER_ROLES, User
from review import auth, i18n, labels
from review.queue import STATUSES, TODO
from review.store import as_utc

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True, extensions=["jinja2.ext.i18n"]))
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def display_tz() -> dt.tzinfo:
    try:
        return ZoneInfo(os.environ.get("BAOCAO_TZ") or "Asia/Ho_Chi_Minh")
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def when(t: dt.datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    t = as_utc(t)
    if t is None:
        return ""
    local = t.astimezone(display_tz())
    off = local.strftime("%z")
    off = f"UTC{off[0]}{int(off[1:3])}" + (f":{off[3:]}" if off[3:] != "00" else "")
    return f"{local.strftime(fmt)} ({off})"


def iso(t: dt.datetime | None) -> str:
    t = as_utc(t)
    return t.isoformat(timespec="seconds") if t else ""


def num(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from checks.messages import num as vn

        return vn(v)
    return str(v)


def percent(v: Any) -> str:
    return f"{round(float(v) * 100)}%" if isinstance(v, (int, float)) else ""


templates.env.filters.update(
    when=when, iso=iso, num=num, percent=percent, basename=lambda p: Path(p or "").name,
    rule_title=labels.rule, status_label=labels.status, severity_label=labels.severity,
    action_label=labels.action, role_label=labels.role)
templates.env.globals.update(STATUSES=STATUSES, TODO=TODO, ROLES=USER_ROLES, LANGS=i18n.LANGS,
                             LANG_NAMES=i18n.LANG_NAMES, current_lang=i18n.current_lang,
                             ACTION_CLASS=labels.ACTION_STATUS_CLASS, allowed=auth.allowed,
                             rule_title=labels.rule, severity_label=labels.severity)


@contextmanager
def tx(request: Request) -> Iterator[Session]:
    """One database transaction: commit on success, roll back on error."""
    with request.app.state.sessions.begin() as s:
        yield s


def require_user(request: Request) -> User:
    """Dependency: the signed-in user, else NotSignedIn (→ redirect to /login, or 401)."""
    with tx(request) as s:
        user = auth.current_user(request, s)
    if user is None:
        raise auth.NotSignedIn(request.url.path, request.url.query)
    request.state.user = user
    return user


def require_role(role: str) -> Callable[[Request], User]:
    """Dependency: the signed-in user if their role allows `role`, else 403."""

    def dep(request: Request) -> User:
        user = require_user(request)
        if not auth.allowed(user, role):
            raise auth.Forbidden(role)
        return user

    return dep


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append([kind, message])
    request.session["flash"] = request.session["flash"]  # mark the session modified


def render(request: Request, name: str, status_code: int = 200, headers: dict[str, str] | None = None,
           **context: Any):
    user = context.pop("user", None) or getattr(request.state, "user", None)
    messages = request.session.pop("flash", []) if "session" in request.scope else []
    ctx = {"user": user, "csrf": auth.csrf_token(request) if "session" in request.scope else "",
           "messages": messages, "path": request.url.path,
           "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""), **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
