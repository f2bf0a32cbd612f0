"""Sign-in for the review app: argon2 password hashes, roles, server-side sessions, the session
secret, the signed-in user and CSRF tokens.

Roles (outputs.db.models.USER_ROLES), each allowed what the ones before it are: a *reviewer*
decides on flags; an *archivist* also exports (and ingests, with the CLI); an *admin* also
manages accounts. The session cookie is Starlette's signed cookie (itsdangerous; secret
$BAOCAO_SECRET, else one generated once into $BAOCAO_SECRET_FILE, default
~/.config/baocao/review-secret, mode 0600); it carries a random token whose hash is a
`user_sessions` row, so signing out, disabling an account or setting its password ends its
sessions on the server, whatever the browser keeps. Every session carries a random CSRF token;
every POST must send it back in the `csrf_token` form field (or the X-CSRF-Token header), else
403. Pages answer a signed-out visitor with a redirect to /login; API, file and export routes
with 401.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path
from urllib.parse import quote

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import HTTPException, Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from outputs.db.models import USER_ROLES, User, UserSession, utcnow

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
API_PREFIXES = ("/api/", "/documents/", "/export/")
SESSION_HOURS = 12
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password")
_VERIFYING = threading.BoundedSemaphore(1)  # one argon2 check at a time: a flood of logins queues
# instead of taking every core from the pages


class Forbidden(Exception):
    """The signed-in user's role does not allow this (403)."""


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
    with _VERIFYING:
        try:
            return _hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password is right and the account enabled; None otherwise (same work
    either way)."""
    from review.store import get_user

    user = get_user(session, username.strip()) if username.strip() else None
    if user is None or user.disabled:
        verify_password(_DUMMY_HASH, password)  # no timing difference for unknown names
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_password(password: str) -> None:
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")


def check_role(role: str) -> str:
    if role not in USER_ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(USER_ROLES)}")
    return role


def add_user(session: Session, username: str, password: str, role: str = "reviewer") -> User:
    from review.store import create_user, get_user

    username = username.strip()
    if not username:
        raise ValueError("a user name cannot be empty")
    check_password(password)
    check_role(role)
    if get_user(session, username) is not None:
        raise ValueError(f"user {username!r} already exists")
    user = create_user(session, username, hash_password(password))
    user.role = role
    session.flush()
    return user


def existing_user(session: Session, username: str) -> User:
    from review.store import get_user

    user = get_user(session, username.strip())
    if user is None:
        raise ValueError(f"no user {username.strip()!r}")
    return user


def set_password(session: Session, username: str, password: str) -> User:
    """A new password; the account's sessions end."""
    check_password(password)
    user = existing_user(session, username)
    user.password_hash = hash_password(password)
    end_sessions(session, user.id)
    return user


def set_role(session: Session, username: str, role: str) -> User:
    user = existing_user(session, username)
    user.role = check_role(role)
    return user


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    """Disable (its sessions end, it cannot sign in) or enable an account."""
    user = existing_user(session, username)
    user.disabled = disabled
    if disabled:
        end_sessions(session, user.id)
    return user


def remove_user(session: Session, username: str) -> None:
    """Delete the account (its sessions go with it); its decisions keep the reviewer's name."""
    session.delete(existing_user(session, username))
    session.flush()


def allowed(user: User | None, role: str) -> bool:
    """Whether `user` has `role` or a higher one."""
    if user is None or user.disabled or user.role not in USER_ROLES:
        return False
    return USER_ROLES.index(user.role) >= USER_ROLES.index(role)


# --- server-side sessions ----------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, address: str | None = None) -> str:
    """A new session row for `user`; returns the token the cookie will carry."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id, created_at=now,
                            expires_at=now + dt.timedelta(hours=SESSION_HOURS), address=(address or "")[:64] or None))
    session.flush()
    return token


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(update(UserSession).where(UserSession.token_hash == _token_hash(token),
                                                  UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))


def end_sessions(session: Session, user_id: int) -> int:
    """Revoke every open session of the account; returns how many."""
    r = session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    return r.rowcount or 0


def session_user(session: Session, token: str | None) -> User | None:
    """The user of a live session (not revoked, not expired, account enabled)."""
    if not token or not isinstance(token, str):
        return None
    from review.store import as_utc

    row = session.execute(select(UserSession, User).join(User, UserSession.user_id == User.id)
                          .where(UserSession.token_hash == _token_hash(token))).first()
    if row is None:
        return None
    us, user = row
    if us.revoked_at is not None or (as_utc(us.expires_at) or utcnow()) <= utcnow() or user.disabled:
        return None
    return user


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
        from review.i18n import _

        raise HTTPException(status_code=403, detail=_("CSRF token missing or wrong: reload the page and try again."))


def sign_in(request: Request, session: Session, user: User) -> None:
    token = start_session(session, user, request.client.host if request.client else None)
    request.session.clear()
    request.session["sid"] = token
    request.session["csrf"] = secrets.token_urlsafe(32)  # a new token for the new session


def sign_out(request: Request, session: Session) -> None:
    end_session(session, request.session.get("sid"))
    request.session.clear()


def current_user(request: Request, session: Session) -> User | None:
    user = session_user(session, request.session.get("sid"))
    if user is None and request.session.get("sid"):
        request.session.pop("sid", None)  # revoked, expired or the account is gone
    return user
