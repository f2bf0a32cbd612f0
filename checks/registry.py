"""The registry of consistency checks: each rule's id, severity, titles and function.

A rule is a pure function `ctx -> Iterable[Flag]` over a `Ctx` (the Report plus cached views of
it: sentences, tables, the section tree), registered with `@rule(...)`. Linkers run after all
rules, on the whole list of flags, to connect flags caused by one mistake (`related`, `culprit`).
`run_checks` in checks/__init__.py runs both and numbers the flags "<rule>:<n>".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from checks.messages import render
from models.report import Flag, Severity

if TYPE_CHECKING:
    from checks.context import Ctx

CheckFn = Callable[["Ctx"], Iterable[Flag]]
LinkFn = Callable[[list[Flag], "Ctx"], None]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    func: CheckFn
    title: str  # Vietnamese
    title_en: str


RULES: dict[str, Rule] = {}
LINKERS: list[LinkFn] = []


def rule(rule_id: str, severity: Severity, title: str, title_en: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under its rule id."""

    def deco(func: CheckFn) -> CheckFn:
        RULES[rule_id] = Rule(rule_id, severity, func, title, title_en)
        return func

    return deco


def linker(func: LinkFn) -> LinkFn:
    """Register a pass that links flags after all rules have run."""
    LINKERS.append(func)
    return func


def make_flag(rule_id: str, variant: str = "default", params: dict[str, Any] | None = None,
              severity: Severity | None = None, **fields: Any) -> Flag:
    """A Flag for `rule_id` with its bilingual message rendered from checks.messages."""
    vi, en = render(rule_id, variant, params or {})
    sev = severity or (RULES[rule_id].severity if rule_id in RULES else Severity.WARNING)
    return Flag(rule=rule_id, severity=sev, message=vi, message_en=en, **fields)
