"""Durable, encrypted outbox that delivers opaque requests and files exactly once.

Knows nothing of matters, devices, Qt or the kiosk core."""
