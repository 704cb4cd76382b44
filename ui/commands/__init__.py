"""The ``kiosk`` commands that start the window (``run``, ``selftest``): here, where importing
the UI is allowed; ``ui.cli`` adds them to the core's commands (kiosk.commands)."""
