"""What the ``kiosk`` subcommands that talk to the gateway share: a client for the configured
gateway (starting the embedded sandbox when ``api.base_url = "embedded"``), and one-line
messages with exit codes for the ways a call can fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kiosk.api import errors
from kiosk.config import Settings

if TYPE_CHECKING:  # requests and jsonschema load when a command talks to the gateway
    from kiosk.api.client import ApiClient

EXIT_API = 1        # the gateway answered no (not found, refused …)
EXIT_NETWORK = 3    # no answer
EXIT_AUTH = 4       # credentials, signature or clock refused


@contextmanager
def gateway_client(settings: Settings, url: str | None = None) -> Iterator[ApiClient]:
    """A client that reports clock skew instead of correcting it (a CLI should tell)."""
    from kiosk.api.client import ApiClient

    server = None
    base = url or settings.api.base_url
    if base == "embedded":
        from kiosk.sandbox.embedded import start_embedded

        server = start_embedded(settings)
        base = server.base_url
    client = ApiClient.from_settings(settings, base_url=base, correct_clock=False)
    try:
        yield client
    finally:
        client.close()
        if server is not None:
            server.stop()


def explain(err: errors.ApiError, base_url: str) -> tuple[str, int]:
    """(one line for a person, exit status)."""
    if isinstance(err, errors.ClockSkewError):
        if err.skew_s is not None:
            way = "behind" if err.skew_s > 0 else "ahead of"
            return (f"this machine's clock is {abs(err.skew_s):.0f} s {way} the gateway's "
                    "(allowed ±90 s); correct the time (NTP) and try again", EXIT_AUTH)
        return "this machine's clock is off by more than 90 s; correct the time", EXIT_AUTH
    if isinstance(err, errors.AuthError):
        return (f"the gateway refused this kiosk's credentials ({err.code}); check "
                "api.access_key and api.secret_file", EXIT_AUTH)
    if isinstance(err, errors.NetworkError):
        return f"gateway unreachable at {base_url}: {err.detail}", EXIT_NETWORK
    if isinstance(err, errors.ProtocolError):
        return (f"the gateway at {base_url} answered something that is not this API "
                f"({err.detail})", EXIT_NETWORK)
    return f"the gateway answered {err.status} {err.code}: {err.detail or err.title}", EXIT_API
