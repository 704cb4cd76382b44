"""Property-based run of the whole contract against the sandbox (schemathesis): requests
generated from docs/api/openapi.yaml, each signed at send time by the kiosk's own auth hook;
no 5xx, status codes, content types, headers and bodies as the contract says. Bounded (a few
examples per operation) so the run stays well under a minute."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.api.client import HmacAuth
from kiosk.api.contract import SPEC_PATH
from kiosk.sandbox.server import DEMO_ACCESS_KEY, SandboxServer, demo_credentials

# tus chunks are raw bytes, like application/octet-stream.
schemathesis.serializer.alias(["application/offset+octet-stream", "application/pdf",
                               "application/ofd", "image/jpeg", "image/png"],
                              "application/octet-stream")
schema = schemathesis.openapi.from_path(SPEC_PATH)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, requests.Session]]:
    db = Path(tmp_path_factory.mktemp("prop")) / "sandbox.db"
    with SandboxServer(db, status_step_s=1.0) as server:
        session = requests.Session()
        session.auth = HmacAuth(DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY])
        statuses: Counter[int] = Counter()
        session.hooks["response"].append(lambda r, *a, **k: statuses.update([r.status_code]))
        yield server.base_url, session
        session.close()
    # The run meant something: signed requests got through, and some were accepted.
    assert statuses[401] == 0, statuses
    assert sum(n for code, n in statuses.items() if 200 <= code < 300) >= 10, statuses


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_generated_requests_get_contract_answers_and_never_5xx(
        case: schemathesis.Case, live: tuple[str, requests.Session]) -> None:
    base_url, session = live
    response = case.call(base_url=base_url, session=session, timeout=10)
    case.validate_response(response, checks=CHECKS)
