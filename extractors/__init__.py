"""Readers (file → Document) and extractors (Document → Report). Pure functions, no Prefect."""
