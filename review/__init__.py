"""The reviewers' web app over the ingestion database."""
