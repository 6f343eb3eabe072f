"""The console's sign-in cookie routes: `POST /console/session` signs in, `DELETE /console/session` signs out.

Gradio events cannot set cookies, so the console's sign-in button first calls these routes from the page
(same origin, JSON) and the event's callback then reads the cookie the browser now sends. The password
therefore never passes through Gradio's queue. The cookie is HttpOnly (page scripts cannot read it),
SameSite=Strict (no other site's page sends it), Secure when `cookie_secure` is set, and lasts no longer
than a session may.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..settings import Settings
from .binding import SessionBindings
from .cookie import COOKIE_NAME
from .store import Accounts

SESSION_PATH = "/console/session"
"""Where the page signs in and out."""


class SignInBody(BaseModel):
    """The sign-in form's two fields."""

    user: str = Field(default="", max_length=200)
    password: str = Field(default="", max_length=1024)


def client_address(request: Request) -> str:
    """The client's address as the server sees it (forwarded headers count only from trusted proxies)."""
    return request.client.host if request.client else ""


def same_origin(request: Request, *, json: bool = True) -> bool:
    """Whether the request is JSON (when asked) and, when the browser names its origin, comes from this site."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if json and kind != "application/json":
        return False  # a form post from another site is never JSON without a CORS preflight we do not grant
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def session_router(accounts: Accounts, settings: Settings, bindings: SessionBindings | None = None) -> APIRouter:
    """The two routes over these accounts; signing out also releases the page's session hashes (`bindings`)."""
    router = APIRouter()
    max_age = int(accounts.lifetimes.absolute.total_seconds())

    @router.post(SESSION_PATH, include_in_schema=False)
    def sign_in(request: Request, body: SignInBody) -> JSONResponse:
        if not same_origin(request):
            return JSONResponse({"status": "refused"}, status_code=403)
        result = accounts.sign_in(body.user, body.password, client_address(request))
        if result.status == "locked":
            wait = max(1, round(result.retry_after))
            return JSONResponse({"status": "locked", "retry_after": wait}, 429, {"Retry-After": str(wait)})
        if result.status != "ok":
            return JSONResponse({"status": "wrong"}, status_code=401)
        response = JSONResponse({"status": "ok"})
        response.set_cookie(
            COOKIE_NAME, result.cookie, max_age=max_age, path="/", httponly=True, samesite="strict",
            secure=settings.cookie_secure,
        )  # fmt: skip
        return response

    @router.delete(SESSION_PATH, include_in_schema=False)
    def sign_out(request: Request) -> JSONResponse:
        if not same_origin(request, json=False):
            return JSONResponse({"status": "refused"}, status_code=403)
        cookie = request.cookies.get(COOKIE_NAME)
        accounts.sign_out(cookie, client_address(request))
        if bindings is not None:
            bindings.release(cookie)
        response = JSONResponse({"status": "signed_out"})
        response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=settings.cookie_secure)
        return response

    return router
