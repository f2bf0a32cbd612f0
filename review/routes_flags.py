"""Pages of the flag review: the overview (counts and charts), the filtered queue (keyset pages),
one flag with its evidence and audit trail, and the decision form (confirm, dismiss, correct;
overriding another reviewer's decision asks for confirmation)."""
from __future__ import annotations

from typing import Optional
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from outputs.db.models import DocumentVersion, FlagRow, User
from review import flagview, labels
from review import queue as fq
from review import store
from review.i18n import _
from review.queue import FlagFilter
from review.store import OverrideNeeded, ReviewError
from review.web import flash, render, require_role, require_user, tx

router = APIRouter()
PAGE_SIZE = 100


def bars(rows: list[tuple[str, int]]) -> list[dict]:
    top = max((n for _k, n in rows), default=0) or 1
    return [{"label": k, "n": n, "pct": round(100 * n / top, 1)} for k, n in rows]


@router.get("/")
def overview(request: Request, user: User = Depends(require_user)):
    with tx(request) as s:
        counts = fq.status_counts(s, FlagFilter())
        ctx = dict(counts=counts, total=sum(counts.values()), documents=store.document_count(s),
                   by_rule=bars(fq.open_by(s, FlagRow.rule)),
                   by_office=bars(fq.open_by(s, DocumentVersion.issuer)),
                   recent=store.recent_decisions(s, 8))
        return render(request, "overview.html", user=user, **ctx)


@router.get("/flags")
def flag_queue(request: Request, user: User = Depends(require_user)):
    f = FlagFilter.from_params(request.query_params)
    after = fq.parse_id(request.query_params.get("after"))
    before = fq.parse_id(request.query_params.get("before"))
    with tx(request) as s:
        counts = fq.status_counts(s, f)
        pg = fq.page(s, f, after=after, before=before, limit=PAGE_SIZE)
        return render(request, "flags.html", user=user, f=f, pg=pg, items=pg.rows, total=fq.total(counts, f.status),
                      counts=counts, facets=fq.facets(s), sorts=labels.SORT_LABELS)


def _flag_page(request: Request, flag_id: str, user: User, *, override: store.ReviewDecision | None = None,
               form: dict | None = None, status_code: int = 200):
    f = FlagFilter.from_params(request.query_params if form is None else dict(parse_qsl(form.get("queue", ""))))
    with tx(request) as s:
        item = store.flag_with_context(s, flag_id)
        if item is None:
            raise HTTPException(404, _("No such flag."))
        prev_id, next_id, pos, n = fq.neighbours(s, f, item.flag.id)
        fv = flagview.build(item.flag, item.version, item.document, request.app.state.cache_dir)
        decisions = store.decisions_for(s, item.flag.id)
        return render(request, "flag.html", status_code=status_code, user=user, fv=fv, item=item, f=f,
                      decisions=decisions, twins=store.twins(s, item.flag), prev_id=prev_id, next_id=next_id,
                      changes=store.reopen_changes(s, item.flag),
                      position=pos, queue_len=n, query=f.query(), override=override, form=form or {})


@router.get("/flags/{flag_id}")
def flag_page(request: Request, flag_id: str, user: User = Depends(require_user)):
    return _flag_page(request, flag_id, user)


@router.post("/flags/{flag_id}/decision")
def decide(request: Request, flag_id: str, user: User = Depends(require_role("reviewer")),
           action: str = Form(""), reason: Optional[str] = Form(None),
           corrected_value: Optional[str] = Form(None), queue: str = Form(""),
           advance: Optional[str] = Form(None), override: Optional[str] = Form(None)):
    """Record a decision, then show the flag again (or the next one of the queue with `advance`).
    Over another reviewer's decision: the page again, asking to confirm the override (409)."""
    fid = fq.parse_id(flag_id)
    f = FlagFilter.from_params(dict(parse_qsl(queue)))
    queue = f.query()
    target = f"/flags/{fid}" + (f"?{queue}" if queue else "")
    try:
        with tx(request) as s:
            if fid is None or s.get(FlagRow, fid) is None:
                raise HTTPException(404, _("No such flag."))
            d = store.decide(s, fid, action, user, reason=reason, corrected_value=corrected_value,
                             override=bool(override))
            what = {"confirm": _("Confirmed: the report is wrong."),
                    "dismiss": _("Dismissed as a false alarm."),
                    "correct": _("Correction recorded: %(old)s → %(new)s.", old=d.original_value or "∅",
                                 new=d.corrected_value)}[action]
            if d.overrides_id:
                what += " " + _("(overrides an earlier decision by another reviewer)")
            next_id = fq.neighbours(s, f, fid)[1] if advance else None
    except OverrideNeeded as e:
        form = {"action": action, "reason": reason or "", "corrected_value": corrected_value or "",
                "queue": queue, "advance": advance or ""}
        return _flag_page(request, str(fid), user, override=e.decision, form=form, status_code=409)
    except ReviewError as e:
        flash(request, str(e), "error")
        return RedirectResponse(target, status_code=303)
    flash(request, what)
    if next_id is not None:
        return RedirectResponse(f"/flags/{next_id}" + (f"?{queue}" if queue else ""), status_code=303)
    return RedirectResponse(target, status_code=303)
