"""The review web app (FastAPI, server-rendered Jinja2 templates): `create_app(db_url)`.

Reviewers sign in (accounts from `baocao users add`), work through the queue of flagged
discrepancies and record decisions; archivists also export and search the imported reports;
admins manage accounts. All pages need a signed-in user; every POST needs the session's CSRF
token (review/auth.py); sign-in is throttled per account and per address (review/throttle.py);
every response carries security headers (review/security.py); the interface is Vietnamese,
or English (review/i18n.py).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from review import auth, i18n, pages
from review.i18n import _
from review.security import SecurityHeaders
from review.throttle import PER_ACCOUNT, PER_ADDRESS, LoginThrottle
from review.web import HERE, render, safe_next, tx

SESSION_HOURS = auth.SESSION_HOURS


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(auth.API_PREFIXES) or \
        "text/html" not in request.headers.get("accept", "text/html")


def create_app(db_url: str | None = None, *, secret: str | None = None, cache_dir: str | Path | None = None,
               https_only: bool = False, login_limits: tuple[str, str] = (PER_ADDRESS, PER_ACCOUNT)) -> FastAPI:
    """The app over the database at `db_url` (default: $BAOCAO_DB or sqlite:///baocao.sqlite),
    migrated on first use like ingestion does. `https_only`: served over HTTPS (directly or
    behind a proxy): Secure, __Host- cookies and HSTS. `login_limits`: (per address, per account)
    in the `limits` notation, e.g. "20/10minutes"."""
    from outputs.db.engine import default_db_url, get_engine, normalize_url

    url = normalize_url(db_url) if db_url else default_db_url()
    app = FastAPI(title="baocao review", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(auth.check_csrf)])
    app.state.db_url = url
    app.state.sessions = sessionmaker(get_engine(url), expire_on_commit=False)
    app.state.cache_dir = Path(cache_dir) if cache_dir else pages.default_cache_dir()
    app.state.https = https_only
    app.state.throttle = LoginThrottle(*login_limits)
    app.add_middleware(SessionMiddleware, secret_key=secret or auth.session_secret(),
                       session_cookie="__Host-baocao_session" if https_only else "baocao_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=https_only)
    app.add_middleware(i18n.LocaleMiddleware)
    app.add_middleware(SecurityHeaders, https=https_only)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(auth.NotSignedIn)
    async def not_signed_in(request: Request, exc: auth.NotSignedIn):
        if exc.api:
            return JSONResponse({"detail": _("Sign in first.")}, status_code=401,
                                headers={"WWW-Authenticate": 'Cookie realm="baocao"'})
        return RedirectResponse(exc.login_url, status_code=303)

    @app.exception_handler(auth.Forbidden)
    async def forbidden(request: Request, exc: auth.Forbidden):
        detail = _("Your role does not allow this.")
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=403)
        return render(request, "error.html", status_code=403, code=403, detail=detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if exc.status_code != 404 or isinstance(exc.detail, str) and exc.detail != "Not Found" \
            else _("Not found.")
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
        return render(request, "error.html", status_code=exc.status_code, code=exc.status_code, detail=detail)

    @app.get("/login")
    def login_form(request: Request, next: str = "/"):
        return render(request, "login.html", next=safe_next(next), error=None)

    @app.post("/login")
    def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
        address = request.client.host if request.client else "?"
        refused = request.app.state.throttle.check(username, address)
        if refused is not None:
            minutes = max(1, -(-refused.retry_after // 60))
            return render(request, "login.html", status_code=429, next=safe_next(next), username=username,
                          error=_("Too many sign-in attempts. Try again in %(n)s minute(s).", n=minutes),
                          headers={"Retry-After": str(refused.retry_after)})
        with tx(request) as s:
            user = auth.authenticate(s, username, password)
            if user is None:
                request.app.state.throttle.failed(username)
                return render(request, "login.html", status_code=401, next=safe_next(next),
                              error=_("Wrong user name or password."), username=username)
            request.app.state.throttle.succeeded(username)
            auth.sign_in(request, s, user)
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout")
    def logout(request: Request):
        with tx(request) as s:
            auth.sign_out(request, s)
        return RedirectResponse("/login", status_code=303)

    @app.get("/lang/{code}")
    def set_language(code: str, next: str = "/"):
        """The interface language (a cookie; not a secret, no state on the server)."""
        r = RedirectResponse(safe_next(next), status_code=303)
        if code in i18n.LANGS:
            r.set_cookie(i18n.COOKIE, code, max_age=365 * 86400, samesite="lax", secure=https_only, httponly=True)
        return r

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    from review import routes_admin, routes_files, routes_flags, routes_reports

    app.include_router(routes_flags.router)
    app.include_router(routes_reports.router)
    app.include_router(routes_files.router)
    app.include_router(routes_admin.router)
    return app
