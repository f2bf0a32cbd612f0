"""What every route of the review app shares: the templates (with their filters), database
transactions, the signed-in-user dependency and one-shot flash messages."""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from outputs.db.models import User
from review import auth
from review.store import as_utc

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

RULE_TITLES: dict[str, tuple[str, str]] = {}


def _rule_titles() -> dict[str, tuple[str, str]]:
    """Rule id → (Vietnamese, English) title, from the checks registry (empty if unavailable)."""
    if not RULE_TITLES:
        try:
            import checks  # noqa: F401  (registers the rules)
            from checks.registry import RULES

            RULE_TITLES.update({k: (r.title, r.title_en) for k, r in RULES.items()})
        except Exception:  # the app still works without the checks package
            pass
    return RULE_TITLES


def display_tz() -> dt.tzinfo:
    try:
        return ZoneInfo(os.environ.get("BAOCAO_TZ") or "Asia/Ho_Chi_Minh")
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def when(t: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
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


def rule_title(rule: str, lang: str = "en") -> str:
    titles = _rule_titles().get(rule)
    if not titles:
        return rule.replace("_", " ")
    return titles[0] if lang == "vi" else titles[1]


templates.env.filters.update(
    when=when, iso=iso, num=num, basename=lambda p: Path(p or "").name, rule_title=rule_title)
templates.env.globals.update(STATUSES=("open", "confirmed", "dismissed", "corrected"))


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
    return user


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append([kind, message])
    request.session["flash"] = request.session["flash"]  # mark the session modified


def render(request: Request, name: str, status_code: int = 200, **context: Any):
    user = context.pop("user", None)
    messages = request.session.pop("flash", []) if "session" in request.scope else []
    ctx = {"user": user, "csrf": auth.csrf_token(request) if "session" in request.scope else "",
           "messages": messages, "path": request.url.path, **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
