"""The Prefect flows and the CLI wiring, kept thin. The only package that imports Prefect."""
