"""The consistency rules, one module per rule or family; each registers itself with
`checks.registry.rule` when imported (checks/__init__.py imports them all)."""
