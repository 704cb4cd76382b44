"""Fixtures: a real sandbox on a loopback port with its SQLite file in a temp dir, and an
``ApiClient`` whose every request and response is checked against docs/api/openapi.yaml."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from kiosk.api.client import ApiClient
from kiosk.api.contract import SPEC_PATH
from kiosk.sandbox.server import DEMO_ACCESS_KEY, SandboxServer, demo_credentials

TEST_KEY = "TEST-KIOSK-0002"
TEST_SECRET = b"test-secret-0002-not-for-production"


class ContractChecker:
    """A requests response hook: validates each exchange against the contract."""

    def __init__(self, openapi: OpenAPI) -> None:
        self.openapi = openapi
        self.problems: list[str] = []
        self.checked = 0
        self.enabled = True

    @contextmanager
    def off(self) -> Iterator[None]:
        """For a request that breaks the contract on purpose."""
        self.enabled = False
        try:
            yield
        finally:
            self.enabled = True

    def __call__(self, resp: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        if not self.enabled:
            return resp
        req = RequestsOpenAPIRequest(resp.request)
        where = f"{resp.request.method} {req.path} -> {resp.status_code}"
        try:
            self.openapi.validate_request(req)
        except Exception as exc:  # collected, asserted at teardown with the exchange named
            self.problems.append(f"request {where}: {_short(exc)}")
        try:
            self.openapi.validate_response(req, RequestsOpenAPIResponse(resp))
        except Exception as exc:
            self.problems.append(f"response {where}: {_short(exc)}")
        self.checked += 1
        return resp


def _short(exc: Exception) -> str:
    text = f"{exc!r} {exc.__cause__!r}"
    return text if len(text) < 600 else text[:600] + "..."


@pytest.fixture(scope="session")
def openapi() -> OpenAPI:
    # problem+json is JSON; openapi-core only knows application/json by name.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_file_path(str(SPEC_PATH), config=config)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "sandbox.db", credentials={TEST_KEY: TEST_SECRET},
                           status_step_s=None)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def checker(openapi: OpenAPI) -> Iterator[ContractChecker]:
    c = ContractChecker(openapi)
    yield c
    assert not c.problems, "contract violations:\n" + "\n".join(c.problems)


def make_client(base_url: str, checker: ContractChecker | None = None,
                **kwargs: Any) -> ApiClient:
    kwargs.setdefault("read_timeout", 10)
    client = ApiClient(base_url, DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY], **kwargs)
    if checker is not None:
        client.session.hooks["response"].append(checker)
    return client


@pytest.fixture
def client(sandbox: SandboxServer, checker: ContractChecker) -> Iterator[ApiClient]:
    c = make_client(sandbox.base_url, checker)
    yield c
    c.close()
