"""Client side of the kiosk ↔ unified acceptance gateway API v1 (docs/api/openapi.yaml).

- ``signing``: the HMAC request-signing rule (pure functions, shared with the sandbox).
- ``errors``: typed errors (retryable or not, S/F/U outcome, Retry-After).
- ``client``: ``ApiClient`` (one requests.Session, signs at send time, idempotency keys).
- ``uploads``: resumable tus 1.0 uploads with Upload-Offset recovery, small files in one POST.
- ``contract``: the OpenAPI file loaded once; JSON Schema checks against its schemas.
- ``uuid7``: time-ordered ids minted offline (``clientApplicationId``).
"""
