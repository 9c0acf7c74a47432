"""Every web address profai is given, parsed once, its user and password taken out first.

``http://alice:pw@host/v1`` is three things: where requests go (``http://host/v1``),
what is shown (``http://***@host/v1``) and the credentials, sent as basic auth to that
host only. Nothing else ever sees the address with its password in it: not http.client
(which reads ``pw@host`` as a port), not a redirect to another host, not an error
line, ``config show``, ``doctor`` or a crash log. A password is also remembered by
``safe_text.hide``, so any text that still holds it is cleaned before it is shown.
"""

from __future__ import annotations

import base64
import functools
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profai_cli.core.errors import InputError
from profai_cli.core.safe_text import hide, mask_url

if TYPE_CHECKING:
    import urllib.request


@dataclass(frozen=True)
class Address:
    url: str  # no user info: what requests go to
    shown: str  # what a user is shown: ***@ where the user info was
    scheme: str
    host: str
    port: int  # the scheme's own port when none was given
    user: str | None = None
    password: str | None = None

    @property
    def basic_auth(self) -> str | None:
        """The ``Authorization`` header the user info stands for, if it was given."""
        if self.user is None:
            return None
        token = f"{self.user}:{self.password or ''}".encode()
        return "Basic " + base64.b64encode(token).decode()

    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host.lower(), self.port)


def parse_address(raw: str, what: str = "the address") -> Address:
    """``raw`` as an Address; one line (exit 2) naming ``what`` when it is not one."""
    try:
        return _parse(raw.strip())
    except ValueError as exc:
        raise InputError(f"{what} {mask_url(raw.strip())[:80]}: {exc}") from None


@functools.lru_cache(maxsize=64)
def _parse(raw: str) -> Address:
    scheme, sep, rest = raw.partition("://")
    if not sep or raw.startswith(("/", ".", "~", "unix:")):
        raise ValueError(
            "not a web address; give one that starts with http:// or https:// "
            "(a unix socket path is not supported)"
        )
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"profai speaks http:// and https://, not {scheme}://")
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    userinfo, at, hostport = authority.rpartition("@")  # a password may hold an @
    user = password = None
    if at:
        name, colon, secret = userinfo.partition(":")
        user = urllib.parse.unquote(name)
        password = urllib.parse.unquote(secret) if colon else None
        for secret_text in (secret, password, userinfo):
            if secret_text:
                hide(secret_text)
    parts = urllib.parse.urlsplit(f"{scheme}://{hostport}{tail}")
    host = parts.hostname or ""
    if not host:
        raise ValueError("it names no host; give one such as http://localhost:11434/v1")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("its port must be a number from 1 to 65535") from None
    if port == 0:
        raise ValueError("its port must be a number from 1 to 65535")
    url = f"{scheme}://{hostport}{tail}"
    shown = f"{scheme}://***@{hostport}{tail}" if at else url
    return Address(
        url,
        shown,
        scheme,
        host,
        port or (443 if scheme == "https" else 80),
        user,
        password,
    )


def redirect_allowed(source: Address, target_url: str) -> tuple[bool, bool]:
    """(may follow, may keep the credentials) for a redirect from ``source``: only to
    http(s), and the credentials (Authorization, cookies) only to the same scheme,
    host and port, as curl and requests do."""
    try:
        target = _parse(target_url)
    except ValueError:
        return False, False
    return True, target.origin() == source.origin()


def opener(source: Address) -> urllib.request.OpenerDirector:
    """urllib's opener, but a redirect keeps the credentials only on the same origin.

    urllib copies every header set on a Request (Authorization too) to wherever a
    redirect points; this drops Authorization and Cookie when the scheme, host or port
    changes, and follows no redirect that is not http(s) (file://, ftp://)."""
    import urllib.request

    class SameOrigin(urllib.request.HTTPRedirectHandler):
        def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
            target = headers.get("location") or headers.get("uri")
            if target:  # told before urllib's own "not allowed", which reads as a loop
                newurl = urllib.parse.urljoin(req.full_url, target)
                if not redirect_allowed(source, newurl)[0]:
                    raise OffOrigin(mask_url(newurl))
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(  # type: ignore[no-untyped-def]
            self, req, fp, code, msg, headers, newurl
        ) -> urllib.request.Request | None:
            keep = redirect_allowed(source, newurl)[1]
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None and not keep:
                for name in ("Authorization", "Cookie", "Proxy-Authorization"):
                    new.remove_header(name)
                    new.unredirected_hdrs.pop(name, None)
            return new

    return urllib.request.build_opener(SameOrigin)


class OffOrigin(Exception):
    """A redirect to somewhere that is not a web address (file://, ftp://)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target
