"""Accounts, for admins: the list (role, enabled, open sessions), adding one, changing a role,
disabling or enabling, ending an account's sessions and setting a new password. The same as
`baocao users …` (review/cli.py); removing an account is left to the CLI."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select

from outputs.db.models import User, UserSession, utcnow
from review import auth, labels, store
from review.i18n import N_, _
from review.web import flash, render, require_role, tx

router = APIRouter(prefix="/admin")


@router.get("/users")
def users(request: Request, user: User = Depends(require_role("admin"))):
    with tx(request) as s:
        live = dict(s.execute(select(UserSession.user_id, func.count(UserSession.id))
                              .where(UserSession.revoked_at.is_(None), UserSession.expires_at > utcnow())
                              .group_by(UserSession.user_id)).all())
        return render(request, "users.html", user=user, users=store.list_users(s), live=live)


def _done(request: Request, message: str, kind: str = "ok") -> RedirectResponse:
    flash(request, message, kind)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users")
def add(request: Request, username: str = Form(""), password: str = Form(""), role: str = Form("reviewer"),
        user: User = Depends(require_role("admin"))):
    try:
        with tx(request) as s:
            auth.add_user(s, username, password, role)
    except ValueError as e:
        return _done(request, _translate(e), "error")
    return _done(request, _("Account %(name)s added (%(role)s).", name=username.strip(), role=labels.role(role)))


@router.post("/users/{name}/{what}")
def change(request: Request, name: str, what: str, role: str = Form(""), password: str = Form(""),
           user: User = Depends(require_role("admin"))):
    try:
        with tx(request) as s:
            if what == "role":
                if name == user.username and role != "admin":
                    raise ValueError(_("You cannot take the admin role from yourself."))
                auth.set_role(s, name, role)
                msg = _("%(name)s is now %(role)s.", name=name, role=labels.role(role))
            elif what in ("disable", "enable"):
                if name == user.username:
                    raise ValueError(_("You cannot disable your own account."))
                auth.set_disabled(s, name, what == "disable")
                msg = _("%(name)s is disabled; their sessions have ended.", name=name) if what == "disable" \
                    else _("%(name)s can sign in again.", name=name)
            elif what == "sessions":
                n = auth.end_sessions(s, auth.existing_user(s, name).id)
                msg = _("%(n)s session(s) of %(name)s ended.", n=n, name=name)
            elif what == "password":
                auth.set_password(s, name, password)
                msg = _("New password set for %(name)s; their sessions have ended.", name=name)
            else:
                return _done(request, _("Not found."), "error")
    except ValueError as e:
        return _done(request, _translate(e), "error")
    return _done(request, msg)


_ERRORS = {"a password needs at least 8 characters": N_("A password needs at least 8 characters."),
           "a user name cannot be empty": N_("A user name cannot be empty.")}


def _translate(e: ValueError) -> str:
    text = str(e)
    if text in _ERRORS:
        return _(_ERRORS[text])
    if text.startswith("user ") and text.endswith("already exists"):
        return _("That user name is taken.")
    if text.startswith("unknown role"):
        return _("Unknown role.")
    if text.startswith("no user"):
        return _("No such account.")
    return text
