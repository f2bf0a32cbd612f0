"""The review app's interface language: gettext catalogs made with Babel, Vietnamese by default
and English as the second locale.

The catalogs are review/locale/<lang>/LC_MESSAGES/messages.po (msgids in English). They are
compiled in memory the first time they are needed (Babel's read_po → write_mo), so a fresh
clone needs no build step and no .mo file can drift from its .po. To add strings:

    pybabel extract -F review/babel.cfg -o review/locale/messages.pot review
    pybabel update -i review/locale/messages.pot -d review/locale

The language of a request is the `baocao_lang` cookie (set by /lang/<code>), else Vietnamese;
`LocaleMiddleware` puts it in a context variable that `gettext` (the templates' `_`) reads.
"""
from __future__ import annotations

import contextvars
import gettext as _gettext
import io
from functools import lru_cache
from http.cookies import SimpleCookie
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
COOKIE = "baocao_lang"
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("baocao_lang", default=DEFAULT_LANG)


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (NullTranslations for an unknown one)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang not in LANGS or not po.is_file():
        return _gettext.NullTranslations()
    with open(po, "rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)  # fuzzy entries left out, as msgfmt does
    buf.seek(0)
    return Translations(fp=buf, domain="messages")


def current_lang() -> str:
    return _current.get()


def set_lang(lang: str) -> contextvars.Token:
    return _current.set(lang if lang in LANGS else DEFAULT_LANG)


def gettext(message: str) -> str:
    return translations(current_lang()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_lang()).ngettext(singular, plural, n)


def _(message: str, **values: object) -> str:
    """gettext with %(name)s values, for Python code (flash messages, errors)."""
    text = gettext(message)
    return text % values if values else text


def lang_of_cookie_header(header: str | None) -> str:
    if header:
        try:
            c = SimpleCookie()
            c.load(header)
            morsel = c.get(COOKIE)
            if morsel is not None and morsel.value in LANGS:
                return morsel.value
        except Exception:  # a malformed cookie header: the default language
            pass
    return DEFAULT_LANG


class LocaleMiddleware:
    """Pure ASGI: the request's language into the context variable for the whole request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cookie = next((v.decode("latin-1") for k, v in scope.get("headers") or [] if k == b"cookie"), None)
        token = set_lang(lang_of_cookie_header(cookie))
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
