"""Web pages and Word 2003 XML saved under a Word name: what they are, and their HTML.

Vietnamese government sites publish many reports as a web page saved with a .doc name: Word's
"Save as Web Page" HTML, a single-file MHTML archive (MIME-Version: … multipart/related), or
Word 2003 "XML Document" (<w:wordDocument>). None is a Word 97 file, but LibreOffice opens the
HTML and the XML directly; an MHTML archive's HTML part is taken out first (LibreOffice would
show the archive as plain text). `kind_of(head)` tells them from the first bytes;
`html_of_mhtml(data)` returns the archive's first text/html part.
"""
from __future__ import annotations

import email
import email.policy
import re

HEAD_BYTES = 4096  # enough of the file to tell what it is

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|meta\s[^>]*content-type)[\s>/]", re.I)
_WORD_XML = re.compile(r"<\?mso-application\s+progid=\"Word\.Document\"|<w:wordDocument[\s>]", re.I)
_MIME = re.compile(r"^(?:[\w-]+:[^\n]*\n)*?\s*MIME-Version:\s*1\.0", re.I)
_MULTIPART = re.compile(r"Content-Type:\s*multipart/related", re.I)
_UTF8_META = b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'


def _text(head: bytes) -> str:
    """The head as text: UTF-16 when it carries that BOM (Word's web pages may), else 8-bit."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    if head.startswith(_BOMS[0]):
        head = head[3:]
    return head.decode("latin-1")


def kind_of(head: bytes) -> str | None:
    """'mhtml', 'wordxml', 'html' or None, from the first HEAD_BYTES of a file."""
    text = _text(head[:HEAD_BYTES]).lstrip()
    if _MIME.match(text) and _MULTIPART.search(text):
        return "mhtml"
    if text.startswith("<") and _WORD_XML.search(text):
        return "wordxml"
    if text.startswith("<") and _HTML.search(text):
        return "html"
    return None


def html_of_mhtml(data: bytes) -> bytes | None:
    """The first text/html part of an MHTML archive, decoded from its transfer encoding (bytes
    in the part's own charset, which its <meta> states), or None."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True)
            if body:
                charset = part.get_content_charset()
                if charset and b"charset" not in body[:2048].lower():
                    try:  # LibreOffice reads the charset from the page: give it UTF-8, and say so
                        return _UTF8_META + body.decode(charset, "replace").encode("utf-8")
                    except LookupError:
                        pass
                return body
    return None
