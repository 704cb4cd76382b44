"""The citizen journey\x27s handlers by area; ``kiosk.session.machine`` dispatches to them by state."""
