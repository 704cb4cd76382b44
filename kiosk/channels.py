"""Contract ``ApplicationRequest.channel``: who entered an application (one place for the
session, the submission path and ``kiosk submit``)."""

CHANNEL_SELF_SERVICE = "SELF_SERVICE_TERMINAL"  # the citizen alone at the touchscreen
CHANNEL_STAFF = "STAFF_ASSISTED"  # 帮办/代办: a logged-in staff member (or kiosk submit)
CHANNEL_BATCH = "STAFF_BATCH_ENTRY"  # 批量录入 (kiosk submit --batch)
CHANNELS = (CHANNEL_SELF_SERVICE, CHANNEL_STAFF, CHANNEL_BATCH)
