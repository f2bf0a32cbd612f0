"""Sinks: the database (SQLAlchemy) and JSON Lines / CSV export."""
