"""Reference acceptance server: the contract of docs/api/openapi.yaml, executable.

``SandboxServer`` (server.py) runs it on loopback for tests and ``kiosk sandbox``;
``start_embedded`` (embedded.py) starts it in-process for demo mode.
"""
