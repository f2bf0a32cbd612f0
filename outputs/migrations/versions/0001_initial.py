"""Initial schema: documents and versions, extracted rows, flags and review decisions, users,
runs and quarantine (matches outputs/db/models.py).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('path', name=op.f('uq_documents_path'))
    )
    op.create_index(op.f('ix_documents_sha256'), 'documents', ['sha256'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('pattern', sa.String(length=500), nullable=True),
    sa.Column('extractor_version', sa.String(length=32), nullable=False),
    sa.Column('workers', sa.Integer(), nullable=True),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('flow_run_id', sa.String(length=64), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=512), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('document_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('extractor_version', sa.String(length=32), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('previous_version_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('encoding', sa.String(length=16), nullable=False),
    sa.Column('ocr', sa.Boolean(), nullable=False),
    sa.Column('ocr_confidence', sa.Float(), nullable=True),
    sa.Column('document_type', sa.String(length=200), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('report_number', sa.String(length=200), nullable=True),
    sa.Column('report_date', sa.String(length=32), nullable=True),
    sa.Column('period_start', sa.String(length=32), nullable=True),
    sa.Column('period_end', sa.String(length=32), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('extract_seconds', sa.Float(), nullable=True),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_versions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_version_id'], ['document_versions.id'], name=op.f('fk_document_versions_previous_version_id_document_versions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_document_versions_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_versions')),
    sa.UniqueConstraint('document_id', 'sha256', 'extractor_version', name='uq_document_versions_content')
    )
    op.create_index(op.f('ix_document_versions_document_id'), 'document_versions', ['document_id'], unique=False)
    op.create_index(op.f('ix_document_versions_is_current'), 'document_versions', ['is_current'], unique=False)
    op.create_index(op.f('ix_document_versions_sha256'), 'document_versions', ['sha256'], unique=False)

    op.create_table('quarantine',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('copied_to', sa.String(length=2048), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_quarantine_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine'))
    )
    op.create_index(op.f('ix_quarantine_path'), 'quarantine', ['path'], unique=False)
    op.create_index(op.f('ix_quarantine_run_id'), 'quarantine', ['run_id'], unique=False)

    op.create_table('figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('raw', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('qualifier', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('location', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_figures_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figures'))
    )
    op.create_index(op.f('ix_figures_version_id'), 'figures', ['version_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('flag_key', sa.String(length=200), nullable=False),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('table_key', sa.String(length=32), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('column', sa.Text(), nullable=True),
    sa.Column('stated', sa.Text(), nullable=True),
    sa.Column('computed', sa.JSON(), nullable=True),
    sa.Column('expected', sa.JSON(), nullable=True),
    sa.Column('table_value', sa.JSON(), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('location', sa.JSON(), nullable=False),
    sa.Column('related', sa.JSON(), nullable=False),
    sa.Column('culprit', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('carried_from_flag_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['carried_from_flag_id'], ['flags.id'], name=op.f('fk_flags_carried_from_flag_id_flags'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_flags_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    op.create_index('ix_flags_rule_status', 'flags', ['rule', 'status'], unique=False)
    op.create_index(op.f('ix_flags_version_id'), 'flags', ['version_id'], unique=False)

    op.create_table('references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=200), nullable=True),
    sa.Column('type_code', sa.String(length=32), nullable=True),
    sa.Column('issuer_code', sa.String(length=64), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('date', sa.String(length=32), nullable=True),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('location', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_references_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_references'))
    )
    op.create_index(op.f('ix_references_version_id'), 'references', ['version_id'], unique=False)

    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('empty', sa.Boolean(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=True),
    sa.Column('location', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_sections_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections'))
    )
    op.create_index(op.f('ix_sections_version_id'), 'sections', ['version_id'], unique=False)

    op.create_table('tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('table_key', sa.String(length=32), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('n_rows', sa.Integer(), nullable=False),
    sa.Column('header_rows', sa.Integer(), nullable=False),
    sa.Column('has_total', sa.Boolean(), nullable=False),
    sa.Column('parent_rows', sa.JSON(), nullable=False),
    sa.Column('children', sa.JSON(), nullable=False),
    sa.Column('location', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_tables_version_id_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tables'))
    )
    op.create_index(op.f('ix_tables_version_id'), 'tables', ['version_id'], unique=False)

    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('original_value', sa.Text(), nullable=True),
    sa.Column('corrected_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('carried_from_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['carried_from_id'], ['review_decisions.id'], name=op.f('fk_review_decisions_carried_from_id_review_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_review_decisions_flag_id_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_decisions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions'))
    )
    op.create_index(op.f('ix_review_decisions_flag_id'), 'review_decisions', ['flag_id'], unique=False)

    op.create_table('table_cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('col', sa.Integer(), nullable=False),
    sa.Column('column', sa.Text(), nullable=True),
    sa.Column('is_total', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('malformed', sa.Boolean(), nullable=False),
    sa.Column('suggestion', sa.Float(), nullable=True),
    sa.Column('location', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['table_id'], ['tables.id'], name=op.f('fk_table_cells_table_id_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_table_cells'))
    )
    op.create_index(op.f('ix_table_cells_table_id'), 'table_cells', ['table_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_table_cells_table_id'), table_name='table_cells')

    op.drop_table('table_cells')
    op.drop_index(op.f('ix_review_decisions_flag_id'), table_name='review_decisions')

    op.drop_table('review_decisions')
    op.drop_index(op.f('ix_tables_version_id'), table_name='tables')

    op.drop_table('tables')
    op.drop_index(op.f('ix_sections_version_id'), table_name='sections')

    op.drop_table('sections')
    op.drop_index(op.f('ix_references_version_id'), table_name='references')

    op.drop_table('references')
    op.drop_index(op.f('ix_flags_version_id'), table_name='flags')
    op.drop_index('ix_flags_rule_status', table_name='flags')

    op.drop_table('flags')
    op.drop_index(op.f('ix_figures_version_id'), table_name='figures')

    op.drop_table('figures')
    op.drop_index(op.f('ix_quarantine_run_id'), table_name='quarantine')
    op.drop_index(op.f('ix_quarantine_path'), table_name='quarantine')

    op.drop_table('quarantine')
    op.drop_index(op.f('ix_document_versions_sha256'), table_name='document_versions')
    op.drop_index(op.f('ix_document_versions_is_current'), table_name='document_versions')
    op.drop_index(op.f('ix_document_versions_document_id'), table_name='document_versions')

    op.drop_table('document_versions')
    op.drop_table('users')
    op.drop_table('runs')
    op.drop_index(op.f('ix_documents_sha256'), table_name='documents')

    op.drop_table('documents')
