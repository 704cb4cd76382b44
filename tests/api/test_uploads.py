"""Material uploads over real HTTP: tus resume after a dropped connection, content-addressed
file ids, checksum refusal, small files."""

from __future__ import annotations

import stat

import pytest

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.sandbox.server import SandboxServer
from tests.api.conftest import ContractChecker, make_client
from tests.api.helpers import fake_jpeg, sha256


def test_large_file_goes_by_tus_in_chunks_with_progress(
        sandbox: SandboxServer, checker: ContractChecker) -> None:
    client = make_client(sandbox.base_url, checker, chunk_size=256 * 1024)
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
    client = make_client(sandbox.base_url, checker, chunk_size=300_000,
                         upload_backoff_s=(0.01,))
    # Let two chunks through, then break every PATCH: the call gives up (a "crash").
    sandbox.faults.set(drop_upload_after_bytes=10, drop_upload_count=-1, drop_upload_skip=2)
    progress: list[int] = []
    checker.enabled = False
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


def test_received_material_images_and_applications_are_kept_owner_only(
        sandbox: SandboxServer, client: ApiClient) -> None:
    data = fake_jpeg(2000, seed=6)
    client.upload(data, sha256=sha256(data), filename="x.jpg", content_type="image/jpeg",
                  client_application_id="app-1")
    storage = sandbox.storage
    assert stat.S_IMODE(storage.db_path.stat().st_mode) == 0o600
    for folder in (storage.files_root, storage.blobs, storage.partials):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert any(storage.blobs.rglob("*"))  # the image is in there, out of others' reach


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


def test_reusing_an_upload_key_for_another_file_is_refused(client: ApiClient) -> None:
    a, b = fake_jpeg(2000, seed=11), fake_jpeg(2000, seed=12)
    client.upload(a, sha256=sha256(a), filename="a.jpg", content_type="image/jpeg",
                  idempotency_key="same-key")
    with pytest.raises(ApiError) as small:  # POST /files: metadata in the query
        client.upload(a, sha256=sha256(a), filename="renamed.jpg", content_type="image/jpeg",
                      idempotency_key="same-key")
    assert small.value.code == "IDEMPOTENCY_KEY_REUSED"
    big_a, big_b = fake_jpeg(1_100_000, seed=13), fake_jpeg(1_200_000, seed=14)
    client.upload(big_a, sha256=sha256(big_a), filename="x.pdf", content_type="application/pdf",
                  idempotency_key="tus-key")
    with pytest.raises(ApiError) as tus:  # tus creation: size and metadata in headers
        client.upload(big_b, sha256=sha256(big_b), filename="x.pdf",
                      content_type="application/pdf", idempotency_key="tus-key")
    assert tus.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert b  # (a second small file under its own key is fine)
    assert client.upload(b, sha256=sha256(b), filename="b.jpg", content_type="image/jpeg")


def _tus(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Tus-Resumable": "1.0.0", **(extra or {})}


def test_tus_discovery_offset_mismatch_checksum_and_termination(
        client: ApiClient, checker: ContractChecker) -> None:
    import base64
    import hashlib

    disc = client.request("OPTIONS", "/uploads")
    assert disc.headers["Tus-Version"] == "1.0.0"
    assert "checksum" in disc.headers["Tus-Extension"].split(",")
    data = fake_jpeg(1000, seed=20)
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in
                    [("filename", "a.jpg"), ("mediaType", "image/jpeg"), ("sha256", sha256(data))])
    created = client.request("POST", "/uploads", idempotency_key="tus-manual", headers=_tus(
        {"Upload-Length": "1000", "Upload-Metadata": meta}))
    path = created.headers["Location"][len("/uap/v1"):]
    octet = {"Content-Type": "application/offset+octet-stream"}
    with pytest.raises(ApiError) as wrong_offset:
        client.request("PATCH", path, body=data[:10], headers=_tus({"Upload-Offset": "5", **octet}))
    assert wrong_offset.value.status == 409 and wrong_offset.value.code == "UPLOAD_OFFSET_MISMATCH"
    bad_sum = "sha1 " + base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    with pytest.raises(ApiError) as damaged:
        client.request("PATCH", path, body=data[:10], headers=_tus(
            {"Upload-Offset": "0", "Upload-Checksum": bad_sum, **octet}))
    assert damaged.value.status == 460 and damaged.value.retryable
    good_sum = "sha1 " + base64.b64encode(hashlib.sha1(data[:10]).digest()).decode()
    done = client.request("PATCH", path, body=data[:10], headers=_tus(
        {"Upload-Offset": "0", "Upload-Checksum": good_sum, **octet}))
    assert done.headers["Upload-Offset"] == "10"
    assert client.request("HEAD", path, headers=_tus()).headers["Upload-Offset"] == "10"
    with checker.off(), pytest.raises(ApiError) as old_tus:
        client.request("HEAD", path, headers={"Tus-Resumable": "0.2.2"})
    assert old_tus.value.status == 412
    assert client.request("DELETE", path, headers=_tus()).status == 204
    with pytest.raises(ApiError) as gone:
        client.request("HEAD", path, headers=_tus())
    assert gone.value.status == 404


def test_upload_left_for_longer_than_it_lives_starts_again(
        sandbox: SandboxServer, checker: ContractChecker) -> None:
    data = fake_jpeg(1_300_000, seed=21)
    client = make_client(sandbox.base_url, checker, chunk_size=500_000,
                         upload_backoff_s=(0.01,))
    sandbox.faults.set(drop_upload_after_bytes=0, drop_upload_count=-1, drop_upload_skip=1)
    checker.enabled = False
    with pytest.raises(ApiError):  # one chunk arrives, then the network dies
        client.upload(data, sha256=sha256(data), filename="a.pdf", content_type="application/pdf")
    checker.enabled = True
    # Back online 25 hours later: the partial upload has expired on the server.
    sandbox.faults.reset()
    sandbox.faults.set(clock_offset_s=25 * 3600)
    file_id = client.upload(data, sha256=sha256(data), filename="a.pdf",
                            content_type="application/pdf")
    assert file_id and (sandbox.storage.blobs / sha256(data)).read_bytes() == data
