"""Nightly import: a carried-over review decision can be re-opened (flag status "needs-review",
the new `flags.reopen_reason` saying what changed).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('flags') as batch:
        batch.add_column(sa.Column('reopen_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("UPDATE flags SET status = 'open' WHERE status = 'needs-review'")
    with op.batch_alter_table('flags') as batch:
        batch.drop_column('reopen_reason')
