"""Review app: user roles and server-side sessions, overrides, flag confidence, one report in
several files, the period label, and full-text search that ignores diacritics.

Full-text search is each database's own: on SQLite an FTS5 table `report_fts` (tokenizer
unicode61 with remove_diacritics 2, "đ" folded to "d" by the triggers that keep it in step with
`report_texts`); on PostgreSQL the `unaccent` extension, an immutable wrapper `baocao_fold`,
and a stored tsvector column `report_texts.tsv` with a GIN index. Existing versions are
back-filled from their JSON records.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FOLD = "replace(replace({x}, 'đ', 'd'), 'Đ', 'D')"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # plain ADD COLUMN everywhere: a batch copy of a table others reference would, on SQLite with
    # foreign keys on, cascade the old table's implicit DELETE onto them
    op.add_column('users', sa.Column('role', sa.String(length=16), nullable=False, server_default='reviewer'))
    op.add_column('users', sa.Column('disabled', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)

    # the decision overridden (no foreign key: decisions are never deleted on their own, and
    # SQLite cannot add one without copying the table)
    op.add_column('review_decisions', sa.Column('overrides_id', sa.Integer(), nullable=True))
    op.add_column('flags', sa.Column('confidence', sa.Float(), nullable=False, server_default='1'))
    op.add_column('flags', sa.Column('doubtful', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('flags', sa.Column('dup_key', sa.String(length=64), nullable=True))
    op.add_column('flags', sa.Column('listed', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_index(op.f('ix_flags_dup_key'), 'flags', ['dup_key'], unique=False)
    op.create_index('ix_flags_queue', 'flags', ['listed', 'status', 'doubtful', 'severity'], unique=False)
    op.add_column('document_versions', sa.Column('report_key', sa.String(length=80), nullable=True))
    op.add_column('document_versions', sa.Column('period_label', sa.Text(), nullable=True))
    op.create_index(op.f('ix_document_versions_report_key'), 'document_versions', ['report_key'], unique=False)

    op.create_table('report_texts',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_report_texts_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_report_texts'))
    )
    if dialect == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE report_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER report_texts_ai AFTER INSERT ON report_texts BEGIN "
                   f"INSERT INTO report_fts(rowid, text) VALUES (new.version_id, {SQLITE_FOLD.format(x='new.text')}); END")
        op.execute("CREATE TRIGGER report_texts_ad AFTER DELETE ON report_texts BEGIN "
                   "DELETE FROM report_fts WHERE rowid = old.version_id; END")
        op.execute("CREATE TRIGGER report_texts_au AFTER UPDATE ON report_texts BEGIN "
                   "DELETE FROM report_fts WHERE rowid = old.version_id; "
                   f"INSERT INTO report_fts(rowid, text) VALUES (new.version_id, {SQLITE_FOLD.format(x='new.text')}); END")
    elif dialect == 'postgresql':
        schema = op.get_bind().scalar(sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"))
        if schema is None:  # one per database: in public, so private schemas can come and go
            op.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
            schema = 'public'
        op.execute(f"""CREATE OR REPLACE FUNCTION baocao_fold(text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS $$ SELECT "{schema}".unaccent('"{schema}".unaccent'::regdictionary, $1) $$""")
        op.execute("ALTER TABLE report_texts ADD COLUMN tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, baocao_fold(text))) STORED")
        op.execute("CREATE INDEX ix_report_texts_tsv ON report_texts USING gin (tsv)")
    _backfill()


def _backfill() -> None:
    """Fill the new columns and the search text of versions loaded before this revision."""
    from outputs.db.reportkey import flag_dup_keys, report_key_of, search_text

    conn = op.get_bind()
    versions = sa.table('document_versions', sa.column('id'), sa.column('sha256'), sa.column('record', sa.JSON),
                        sa.column('report_key'), sa.column('period_label'))
    flags = sa.table('flags', sa.column('id'), sa.column('version_id'), sa.column('ordinal'), sa.column('rule'),
                     sa.column('section'), sa.column('column'), sa.column('stated'), sa.column('dup_key'))
    texts = sa.table('report_texts', sa.column('version_id'), sa.column('text'))
    for vid, sha, record in conn.execute(sa.select(versions.c.id, versions.c.sha256, versions.c.record)).all():
        record = record or {}
        md = record.get('metadata') or {}
        period = md.get('period') or {}
        key = report_key_of(md.get('issuer'), md.get('report_number'), md.get('date'), sha,
                            period.get('start'), period.get('end'))
        conn.execute(versions.update().where(versions.c.id == vid).values(
            report_key=key, period_label=period.get('label')))
        conn.execute(texts.insert().values(version_id=vid, text=search_text(record)))
        rows = conn.execute(sa.select(flags.c.id, flags.c.rule, flags.c.section, flags.c.column, flags.c.stated)
                            .where(flags.c.version_id == vid).order_by(flags.c.ordinal)).all()
        for (fid, *_), dup in zip(rows, flag_dup_keys(key, [tuple(r[1:]) for r in rows])):
            conn.execute(flags.update().where(flags.c.id == fid).values(dup_key=dup))
    from outputs.db.reportkey import refresh_listed
    from sqlalchemy.orm import Session

    with Session(bind=conn) as session:
        keys = [k for (k,) in conn.execute(sa.select(flags.c.dup_key).where(flags.c.dup_key.is_not(None))
                                           .group_by(flags.c.dup_key).having(sa.func.count() > 1))]
        refresh_listed(session, keys)
        session.flush()
    conn.execute(sa.text("UPDATE flags SET listed = :no WHERE version_id IN "
                         "(SELECT id FROM document_versions WHERE NOT is_current)").bindparams(no=False))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for t in ('report_texts_ai', 'report_texts_ad', 'report_texts_au'):
            op.execute(f"DROP TRIGGER IF EXISTS {t}")
        op.execute("DROP TABLE IF EXISTS report_fts")
    op.drop_table('report_texts')
    if dialect == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS baocao_fold(text)")
    op.drop_index(op.f('ix_document_versions_report_key'), table_name='document_versions')
    op.drop_index('ix_flags_queue', table_name='flags')
    op.drop_index(op.f('ix_flags_dup_key'), table_name='flags')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
    # plain DROP COLUMN (SQLite >= 3.35): no table copy (see upgrade)
    for table, column in (('document_versions', 'period_label'), ('document_versions', 'report_key'),
                          ('flags', 'dup_key'), ('flags', 'doubtful'), ('flags', 'confidence'),
                          ('review_decisions', 'overrides_id'), ('users', 'disabled'), ('users', 'role')):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    op.execute('ALTER TABLE "flags" DROP COLUMN "listed"')
