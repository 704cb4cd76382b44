"""Device layer: one sub-package per device class (idcard, camera, printer, scanner).

Depends on nothing of ``kiosk`` or ``ui``; expected failures are result values."""
