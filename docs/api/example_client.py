#!/usr/bin/env python3
"""A client of the kiosk ↔ gateway API written only from docs/api/README.md and openapi.yaml
(it imports nothing from the kiosk): uploads one attachment with tus, submits an application
that references it, sends the same application again and shows ``Idempotent-Replayed: true``.

    python docs/api/example_client.py --base-url http://127.0.0.1:8787/uap/v1 \\
        --access-key DEMO-KIOSK-0001 --secret-file packaging/demo/demo-api-secret

Prints one JSON object: the applicationId, clientApplicationId, fileId and replay flag.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from email.utils import formatdate
from urllib.parse import parse_qsl, quote, urlsplit

import requests


def sign(method: str, url: str, body: bytes, access_key: str, secret: bytes) -> dict[str, str]:
    parts = urlsplit(url)
    pairs = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~"))
                   for k, v in parse_qsl(parts.query, keep_blank_values=True))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    date = formatdate(usegmt=True)
    nonce = secrets.token_hex(16)
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    text = "\n".join([method, parts.path, query, access_key, date, nonce, digest]) + "\n"
    mac = hmac.new(secret, text.encode(), hashlib.sha256).digest()
    return {"X-Access-Key": access_key, "X-Date": date, "X-Nonce": nonce,
            "Content-Digest": digest, "X-Signature-Algorithm": "hmac-sha256",
            "X-Signature": base64.b64encode(mac).decode()}


class Client:
    def __init__(self, base_url: str, access_key: str, secret: bytes) -> None:
        self.base, self.key, self.secret = base_url.rstrip("/"), access_key, secret
        self.root = self.base[: -len(urlsplit(self.base).path)] if urlsplit(self.base).path else self.base

    def call(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
             absolute: bool = False) -> requests.Response:
        url = (self.root + path) if absolute else (self.base + path)
        prepared = requests.Request(method, url, data=body or None, headers=headers or {}).prepare()
        prepared.headers.update(sign(method, prepared.url or url, body, self.key, self.secret))
        with requests.Session() as s:
            return s.send(prepared, timeout=15)


def uuid7() -> str:
    ms = int(time.time() * 1000)
    value = ms << 80 | 0x7 << 76 | secrets.randbits(12) << 64 | 0b10 << 62 | secrets.randbits(62)
    return str(uuid.UUID(int=value))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret-file", required=True)
    args = ap.parse_args()
    with open(args.secret_file, "rb") as fh:
        secret = fh.read().strip()
    api = Client(args.base_url, args.access_key, secret)
    app_id = uuid7()

    # 1. Upload the photo with tus: create, then PATCH in two chunks.
    photo = b"\xff\xd8\xff\xe0" + os.urandom(300_000)
    sha = hashlib.sha256(photo).hexdigest()
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in
                    [("filename", "photo.jpg"), ("mediaType", "image/jpeg"), ("sha256", sha),
                     ("materialCode", "M0005-03"), ("clientApplicationId", app_id)])
    r = api.call("POST", "/uploads", headers={
        "Tus-Resumable": "1.0.0", "Upload-Length": str(len(photo)), "Upload-Metadata": meta,
        "Idempotency-Key": f'"upload-{app_id}"'})
    assert r.status_code == 201, r.text
    location = r.headers["Location"]
    offset, file_id = 0, None
    while offset < len(photo):
        chunk = photo[offset:offset + 200_000]
        r = api.call("PATCH", location, chunk, absolute=True, headers={
            "Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream"})
        assert r.status_code == 204, r.text
        offset = int(r.headers["Upload-Offset"])
        file_id = r.headers.get("Upload-File-Id")
    assert file_id, "no file id after the last chunk"

    # 2. Fetch the matter (居住证申领) and submit its documented example form.
    matter = api.call("GET", "/matters/330106SBX0005").json()
    application = {
        "clientApplicationId": app_id, "implCode": matter["implCode"],
        "matterVersion": matter["version"],
        "applicant": {"certType": "RESIDENT_ID_CARD", "certNo": "330199198806060046",
                      "name": "赵六测试", "phone": "13900000004"},
        "agent": None, "form": matter["formSchema"]["examples"][0],
        "materials": [{"materialCode": "M0005-03", "fileIds": [file_id]}],
        "delivery": {"method": "WINDOW", "address": None},
        "channel": "SELF_SERVICE_TERMINAL", "deviceId": args.access_key,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
    }
    body = json.dumps(application, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "Idempotency-Key": f'"{app_id}"'}
    first = api.call("POST", "/applications", body, headers)
    assert first.status_code == 202, first.text

    # 3. The same bytes again: the stored answer, marked as a replay.
    again = api.call("POST", "/applications", body, headers)
    print(json.dumps({"applicationId": first.json()["applicationId"],
                      "clientApplicationId": app_id, "fileId": file_id, "sha256": sha,
                      "bytes": len(photo), "replayStatus": again.status_code,
                      "idempotentReplayed": again.headers.get("Idempotent-Replayed"),
                      "sameAnswer": again.json() == first.json()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
