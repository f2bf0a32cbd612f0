"""Security headers on every response of the review app (pure ASGI middleware).

The pages load only their own script, style sheet and images (no inline script or style), may
not be framed, send no referrer to other sites; with `https` the browser is told to keep to
HTTPS (HSTS)."""
from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000"


class SecurityHeaders:
    def __init__(self, app, https: bool = False):
        self.app = app
        extra = dict(HEADERS, **({"strict-transport-security": HSTS} if https else {}))
        self.headers = [(k.encode(), v.encode()) for k, v in extra.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers") or []}
                message["headers"] = list(message.get("headers") or []) + [
                    (k, v) for k, v in self.headers if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
