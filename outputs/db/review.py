"""Review decisions on flags: an append-only audit trail, and users of the review app.

A decision (confirm, dismiss or correct) is a new `review_decisions` row: the corrected value
is stored beside the original (the flag's stated value), with the reason, the reviewer and the
time. Earlier decisions are never changed; the flag's `status` follows the latest one.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from outputs.db.models import ACTION_STATUS, FlagRow, ReviewDecision, User, utcnow


class ReviewError(ValueError):
    """A decision that cannot be recorded (unknown flag or action, correction without value)."""


def record_decision(session: Session, flag_id: int, action: str, reviewer: str, *,
                    reason: str | None = None, corrected_value: str | None = None,
                    user_id: int | None = None) -> ReviewDecision:
    """Append a decision on flag `flag_id` and set the flag's status accordingly."""
    if action not in ACTION_STATUS:
        raise ReviewError(f"unknown action {action!r}: use one of {', '.join(ACTION_STATUS)}")
    if action == "correct" and (corrected_value is None or not str(corrected_value).strip()):
        raise ReviewError("a correction needs the corrected value")
    flag = session.get(FlagRow, flag_id)
    if flag is None:
        raise ReviewError(f"no flag {flag_id}")
    decision = ReviewDecision(flag_id=flag.id, action=action, original_value=flag.stated,
                              corrected_value=corrected_value if action == "correct" else None,
                              reason=reason, reviewer=reviewer, user_id=user_id, created_at=utcnow())
    session.add(decision)
    flag.status = ACTION_STATUS[action]
    session.flush()
    return decision


def decisions_for(session: Session, flag_id: int) -> list[ReviewDecision]:
    """The flag's decisions, oldest first (the audit trail)."""
    return list(session.scalars(select(ReviewDecision).where(ReviewDecision.flag_id == flag_id)
                                .order_by(ReviewDecision.id)))


def create_user(session: Session, username: str, password_hash: str) -> User:
    """Add a review-app user (the app hashes the password; this module never sees it)."""
    user = User(username=username, password_hash=password_hash, created_at=utcnow())
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))
