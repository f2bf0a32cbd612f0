"""What the interface calls the codes stored in the database: statuses, severities, actions,
roles, sort keys and rules, in the request's language (review/i18n.py)."""
from __future__ import annotations

from review.i18n import N_, current_lang, gettext

STATUS_LABELS = {
    "open": N_("open"),
    "needs-review": N_("needs review"),
    "confirmed": N_("confirmed"),
    "dismissed": N_("dismissed"),
    "corrected": N_("corrected"),
}
SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
ACTION_LABELS = {"confirm": N_("confirm"), "dismiss": N_("dismiss"), "correct": N_("correct")}
ROLE_LABELS = {"reviewer": N_("reviewer"), "archivist": N_("archivist"), "admin": N_("administrator")}
SORT_LABELS = {"severity": N_("Severity"), "rule": N_("Rule"), "document": N_("Document"),
               "office": N_("Office"), "period": N_("Period"), "status": N_("Status"),
               "confidence": N_("Reading confidence"), "id": N_("Flag id")}
ACTION_STATUS_CLASS = {"confirm": "confirmed", "dismiss": "dismissed", "correct": "corrected"}
DOUBTFUL = N_("the scan may be misread")

_RULES: dict[str, tuple[str, str]] = {}


def _rule_titles() -> dict[str, tuple[str, str]]:
    """Rule id → (Vietnamese, English) title, from the checks registry (empty if unavailable)."""
    if not _RULES:
        try:
            import checks  # noqa: F401  (registers the rules)
            from checks.registry import RULES

            _RULES.update({k: (r.title, r.title_en) for k, r in RULES.items()})
        except Exception:  # the app still works without the checks package
            pass
    return _RULES


def _label(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return gettext(table[code]) if code in table else code


def status(code: str | None) -> str:
    return _label(STATUS_LABELS, code)


def severity(code: str | None) -> str:
    return _label(SEVERITY_LABELS, code)


def action(code: str | None) -> str:
    return _label(ACTION_LABELS, code)


def role(code: str | None) -> str:
    return _label(ROLE_LABELS, code)


def rule(code: str | None, lang: str | None = None) -> str:
    """The rule's title in `lang` (default: the request's language); the id itself if unknown."""
    if not code:
        return ""
    titles = _rule_titles().get(code)
    if not titles:
        return code.replace("_", " ")
    return titles[0] if (lang or current_lang()) == "vi" else titles[1]

NOTE_TITLES = (N_("computed"), N_("expected"))  # review/tables.py: what the value beside a cell is
