"""Material uploads over real HTTP: tus resume after a dropped connection, content-addressed
file ids, checksum refusal, small files."""

from __future__ import annotations

import pytest

from kiosk.api import uploads
from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.sandbox.server import SandboxServer
from tests.api.conftest import ContractChecker, make_client
from tests.api.helpers import fake_jpeg, sha256


def test_large_file_goes_by_tus_in_chunks_with_progress(
        sandbox: SandboxServer, client: ApiClient) -> None:
    data = fake_jpeg(1_300_000, seed=1)
    seen: list[tuple[int, int]] = []
    file_id = client.upload(data, sha256=sha256(data), filename="房屋买卖合同.pdf",
                            content_type="application/pdf", on_progress=lambda a, b: seen.append((a, b)))
    assert file_id.startswith("f_")
    assert seen[-1] == (len(data), len(data)) and len(seen) == 5  # 256 KiB chunks
    blob = sandbox.storage.blobs / sha256(data)
    assert blob.read_bytes() == data


def test_upload_resumes_from_the_server_offset_after_the_connection_drops(
        sandbox: SandboxServer, checker: ContractChecker) -> None:
    data = fake_jpeg(1_100_000, seed=2)
    client = make_client(sandbox.base_url, checker, chunk_size=400_000)
    sandbox.faults.set(drop_upload_after_bytes=150_000, drop_upload_count=1)
    sent: list[int] = []
    original = client.session.send

    def counting_send(request, **kwargs):  # type: ignore[no-untyped-def]
        if request.method == "PATCH":
            sent.append(int(request.headers["Upload-Offset"]))
        return original(request, **kwargs)

    client.session.send = counting_send  # type: ignore[method-assign]
    checker.enabled = False  # the dropped exchange has no answer to validate
    file_id = client.upload(data, sha256=sha256(data), filename="scan.pdf",
                            content_type="application/pdf")
    checker.enabled = True
    # First PATCH cut after 150 kB and discarded; HEAD says 0; then it goes through.
    assert sent[:2] == [0, 0] and sent[2:] == [400_000, 800_000]
    assert (sandbox.storage.blobs / sha256(data)).read_bytes() == data
    assert file_id


def test_a_second_upload_call_after_a_crash_continues_where_the_server_stopped(
        sandbox: SandboxServer, checker: ContractChecker) -> None:
    data = fake_jpeg(1_200_000, seed=3)
    client = make_client(sandbox.base_url, checker, chunk_size=300_000)
    # Let two chunks through, then break every PATCH: the call gives up (a "crash").
    sandbox.faults.set(drop_upload_after_bytes=10, drop_upload_count=-1, drop_upload_skip=2)
    progress: list[int] = []
    checker.enabled = False
    uploads.BACKOFF_S, saved = (0.01,) * 6, uploads.BACKOFF_S
    try:
        with pytest.raises(ApiError) as info:
            client.upload(data, sha256=sha256(data), filename="a.pdf",
                          content_type="application/pdf",
                          on_progress=lambda a, b: progress.append(a))
        assert info.value.retryable
        assert progress == [300_000, 600_000]
        sandbox.faults.reset()
        resumed: list[int] = []
        file_id = client.upload(data, sha256=sha256(data), filename="a.pdf",
                                content_type="application/pdf",
                                on_progress=lambda a, b: resumed.append(a))
    finally:
        uploads.BACKOFF_S = saved
        checker.enabled = True
    assert resumed == [900_000, 1_200_000]  # nothing sent twice
    assert (sandbox.storage.blobs / sha256(data)).read_bytes() == data and file_id


def test_same_file_for_the_same_application_gets_the_same_file_id(client: ApiClient) -> None:
    data = fake_jpeg(2000, seed=4)
    a = client.upload(data, sha256=sha256(data), filename="x.jpg", content_type="image/jpeg",
                      client_application_id="app-1")
    b = client.upload(data, sha256=sha256(data), filename="x.jpg", content_type="image/jpeg",
                      client_application_id="app-1")
    c = client.upload(data, sha256=sha256(data), filename="x.jpg", content_type="image/jpeg",
                      client_application_id="app-2")
    big = fake_jpeg(1_100_000, seed=5)
    d = client.upload(big, sha256=sha256(big), filename="y.pdf", content_type="application/pdf",
                      client_application_id="app-1")
    e = client.upload(big, sha256=sha256(big), filename="y.pdf", content_type="application/pdf",
                      client_application_id="app-1")
    assert a == b != c and d == e


def test_file_whose_digest_does_not_match_is_refused_and_not_retryable(
        client: ApiClient) -> None:
    data = fake_jpeg(1_050_000, seed=6)
    wrong = sha256(b"something else")
    with pytest.raises(ApiError) as info:
        client.upload(data, sha256=wrong, filename="bad.pdf", content_type="application/pdf")
    assert info.value.code == "FILE_CHECKSUM_MISMATCH" and not info.value.retryable
    with pytest.raises(ApiError) as small:
        client.upload(data[:1000], sha256=wrong, filename="bad.jpg", content_type="image/jpeg")
    assert small.value.code == "FILE_CHECKSUM_MISMATCH"


def test_upload_from_a_path(tmp_path, client: ApiClient) -> None:  # type: ignore[no-untyped-def]
    data = fake_jpeg(1_500_000, seed=7)
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    assert client.upload(path, sha256=sha256(data), filename=path.name,
                         content_type="application/pdf").startswith("f_")


def test_unsupported_media_type_is_refused(client: ApiClient, checker: ContractChecker) -> None:
    data = b"MZ\x90\x00" * 10
    with checker.off(), pytest.raises(ApiError) as info:
        client.upload(data, sha256=sha256(data), filename="x.exe",
                      content_type="application/x-msdownload")
    assert info.value.status == 415 and not info.value.retryable
