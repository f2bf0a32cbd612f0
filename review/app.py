"""The review web app (FastAPI, server-rendered Jinja2 templates): `create_app(db_url)`.

Reviewers sign in (accounts from `baocao users add`), work through the queue of flagged
discrepancies and record decisions; archivists search the imported reports. All pages need a
signed-in user; every POST needs the session's CSRF token (see review/auth.py).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from review import auth, pages
from review.web import HERE, render, safe_next, tx

SESSION_HOURS = 12


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(auth.API_PREFIXES) or \
        "text/html" not in request.headers.get("accept", "text/html")


def create_app(db_url: str | None = None, *, secret: str | None = None, cache_dir: str | Path | None = None,
               https_only: bool = False) -> FastAPI:
    """The app over the database at `db_url` (default: $BAOCAO_DB or sqlite:///baocao.sqlite),
    migrated on first use like ingestion does."""
    from outputs.db.engine import default_db_url, get_engine, normalize_url

    url = normalize_url(db_url) if db_url else default_db_url()
    app = FastAPI(title="baocao review", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(auth.check_csrf)])
    app.state.db_url = url
    app.state.sessions = sessionmaker(get_engine(url), expire_on_commit=False)
    app.state.cache_dir = Path(cache_dir) if cache_dir else pages.default_cache_dir()
    app.add_middleware(SessionMiddleware, secret_key=secret or auth.session_secret(),
                       session_cookie="baocao_session", max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=https_only)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(auth.NotSignedIn)
    async def not_signed_in(request: Request, exc: auth.NotSignedIn):
        if exc.api:
            return JSONResponse({"detail": "Sign in first."}, status_code=401,
                                headers={"WWW-Authenticate": 'Cookie realm="baocao"'})
        return RedirectResponse(exc.login_url, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render(request, "error.html", status_code=exc.status_code, code=exc.status_code,
                      detail=exc.detail, user=request.session.get("user") and {"username": request.session["user"]})

    @app.get("/login")
    def login_form(request: Request, next: str = "/"):
        return render(request, "login.html", next=safe_next(next), error=None)

    @app.post("/login")
    def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
        with tx(request) as s:
            user = auth.authenticate(s, username, password)
            if user is None:
                return render(request, "login.html", status_code=401, next=safe_next(next),
                              error="Wrong user name or password.", username=username)
            auth.sign_in(request, user)
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout")
    def logout(request: Request):
        auth.sign_out(request)
        return RedirectResponse("/login", status_code=303)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    from review import routes_files, routes_flags, routes_reports

    app.include_router(routes_flags.router)
    app.include_router(routes_reports.router)
    app.include_router(routes_files.router)
    return app

