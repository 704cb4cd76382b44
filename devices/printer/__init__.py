"""ESC/POS receipt printer: types and status (``types``, ``status``), Chinese text
(``cjk``), job composition (``builder``), transports through python-escpos (``transport``),
the ``ReceiptPrinter`` device (``device``), a simulator (``simulator``), a renderer for
review (``render``) and the registry entries (``drivers``)."""
