"""Alembic migrations of the baocao database (run automatically by outputs.db.get_engine)."""
