"""Application core of the service-hall kiosk: config, session, API client, receipts, CLI.

Never imports PySide6 (only ``ui/`` does)."""

__version__ = "0.1.0"
