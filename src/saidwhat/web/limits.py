"""Guards in front of every request: body size limit, security headers, the write token
(and its slow-down after wrong guesses, ``web.throttle``).

The body limit is enforced while the body streams in (not only from Content-Length, which
a client may omit with chunked encoding), so an oversized upload is cut off with 413
before it is parsed, analysed or stored. The Content-Security-Policy forbids inline
scripts on the pages: article text is escaped by the templates anyway, and the policy
means that even a mistake there could not run a script that came from an article.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
# Swagger UI's page starts itself with one inline script (FastAPI's docs template).
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is over the limit of {limit:,} bytes")


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await _plain_error(send, 400, "Content-Length is not a number")
                return
            if too_big:
                await _plain_error(send, 413, BodyTooLarge(self.max_bytes).detail)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)


async def _plain_error(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """CSP, nosniff and no-referrer on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path") == "/docs" else PAGE_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def token_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison (of SHA-256 digests, so not even the token's length
    shows in the timing); no configured token means no writes at all."""
    if not expected or not given:
        return False
    digest = hashlib.sha256
    return hmac.compare_digest(
        digest(expected.encode("utf-8", "surrogatepass")).digest(),
        digest(given.encode("utf-8", "surrogatepass")).digest(),
    )


def verify_token(request: Request, given: str | None) -> None:
    """Let a write through, or raise the HTTPException that refuses it: 401 without a
    configured token or with a wrong one, 429 with Retry-After while the client's
    address is locked out for earlier wrong tokens (``web.throttle``)."""
    expected = request.app.state.token
    if not expected:
        raise HTTPException(
            401,
            "writes are disabled: the server has no token (set SAIDWHAT_TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle = request.app.state.auth_throttle
    client = request.client.host if request.client else "-"
    wait = throttle.retry_after(client)
    if wait is not None:
        raise HTTPException(
            429,
            f"too many wrong tokens from this address: try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    if not token_matches(expected, given):
        wait = throttle.failed(client)
        headers = {"WWW-Authenticate": "Bearer"}
        if wait is not None:
            headers["Retry-After"] = str(wait)
        raise HTTPException(401, "missing or wrong token", headers=headers)
    throttle.succeeded(client)


_bearer = HTTPBearer(auto_error=False, description="The operator's token (SAIDWHAT_TOKEN)")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """FastAPI dependency for write endpoints: 401 unless the operator's token is given
    as ``Authorization: Bearer <token>`` (declared in OpenAPI, so /docs can send it);
    429 after repeated wrong ones (``verify_token``)."""
    verify_token(request, credentials.credentials if credentials else None)
