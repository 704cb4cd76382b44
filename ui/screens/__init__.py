"""One screen per session state. A screen renders the machine's state and sends taps; it
decides nothing."""
