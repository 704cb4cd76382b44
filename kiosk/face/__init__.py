"""人证比对: the live face in front of the kiosk against the identity the card gave
(docs/identity.md). ``check`` runs the camera loop (framing, auto-capture, liveness
challenge); ``matcher`` compares — the platform by default, a site's vendor SDK as a plug-in."""
