"""Sign-in for the review app: argon2 password hashes, the session secret, the signed-in user,
and CSRF tokens.

Sessions are Starlette's signed cookies (itsdangerous); the secret is $BAOCAO_SECRET, else one
generated once and kept in $BAOCAO_SECRET_FILE (default ~/.config/baocao/review-secret, mode
0600). Every session carries a random CSRF token; every POST must send it back in the
`csrf_token` form field (or the X-CSRF-Token header), else 403. Pages answer a signed-out
visitor with a redirect to /login; API, file and export routes with 401.
"""
from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from outputs.db.models import User

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
API_PREFIXES = ("/api/", "/documents/", "/export/")
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password")


class NotSignedIn(Exception):
    """Raised by `require_user`; the app turns it into a redirect (pages) or a 401 (API, files)."""

    def __init__(self, path: str, query: str = ""):
        self.path = path
        self.query = query

    @property
    def api(self) -> bool:
        return self.path.startswith(API_PREFIXES)

    @property
    def login_url(self) -> str:
        target = self.path + (f"?{self.query}" if self.query else "")
        return "/login" if target in ("/", "") else f"/login?next={quote(target, safe='')}"


# --- passwords ---------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password is right; None otherwise (same work either way)."""
    from review.store import get_user

    user = get_user(session, username.strip()) if username.strip() else None
    if user is None:
        verify_password(_DUMMY_HASH, password)  # no timing difference for unknown names
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def add_user(session: Session, username: str, password: str) -> User:
    from review.store import create_user, get_user

    username = username.strip()
    if not username:
        raise ValueError("a user name cannot be empty")
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    if get_user(session, username) is not None:
        raise ValueError(f"user {username!r} already exists")
    return create_user(session, username, hash_password(password))


# --- the session secret ------------------------------------------------------------------------

def secret_file() -> Path:
    env = os.environ.get("BAOCAO_SECRET_FILE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return Path(base) / "baocao" / "review-secret"


def session_secret(path: Path | None = None) -> str:
    """$BAOCAO_SECRET, else the secret stored in `path` (created once, readable by its owner only)."""
    env = os.environ.get("BAOCAO_SECRET")
    if env:
        return env
    path = Path(path or secret_file())
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first (or left it empty): use or refill it
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value + "\n")
    return value


# --- the signed-in user and CSRF ---------------------------------------------------------------

def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """App-wide dependency: every POST (and other unsafe method) must carry the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # cached: the route reads the same form
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    # bytes: compare_digest raises TypeError (→ 500) on a str with non-ASCII characters
    if not expected or not sent or not hmac.compare_digest(str(expected).encode(), str(sent).encode()):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong: reload the page and try again.")


def sign_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session["uid"] = user.id
    request.session["user"] = user.username
    request.session["csrf"] = secrets.token_urlsafe(32)  # a new token for the new session


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request, session: Session) -> User | None:
    from review.store import user_by_id

    uid = request.session.get("uid")
    if uid is None:
        return None
    user = user_by_id(session, uid)
    if user is None or user.username != request.session.get("user"):
        request.session.clear()  # the account is gone
        return None
    return user
