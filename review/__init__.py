"""The review web app: reviewers decide on flagged discrepancies, archivists search reports.

`review.app.create_app(db_url)` builds the FastAPI app; `baocao review` serves it and
`baocao users add` creates accounts (review/cli.py)."""
