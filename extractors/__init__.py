"""Readers (file → Document) and extractors (Document → Report). Pure functions, no Prefect."""

# The extractor version stored with every loaded document version: bump it when extraction or
# the checks change what a Report holds, and the next ingestion run re-extracts every file.
__version__ = "0.1.0"
