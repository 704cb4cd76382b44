"""呼叫帮办 at the sandbox over real HTTP: a request names the kiosk and the step only and gets
a ticket number; marking it handled; another kiosk's request is not found."""

from __future__ import annotations

import pytest

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.api.uuid7 import uuid7
from kiosk.sandbox.server import SandboxServer


def test_a_help_request_gets_a_number_and_is_handled(sandbox: SandboxServer,
                                                      client: ApiClient) -> None:
    first = client.create_help_request("DEMO-KIOSK-0001", "materials", uuid7()).json
    second = client.create_help_request("DEMO-KIOSK-0001", "form", uuid7()).json
    assert first["status"] == "OPEN" and first["ticketNo"] == "H001"
    assert second["ticketNo"] == "H002"
    done = client.mark_help_handled("DEMO-KIOSK-0001", first["requestId"]).json
    assert done["status"] == "HANDLED"
    with pytest.raises(ApiError) as info:
        client.mark_help_handled("OTHER-KIOSK", second["requestId"])
    assert info.value.status == 404
