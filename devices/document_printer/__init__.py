"""A4 document printer (文书打印机): PDF jobs to an office printer through CUPS, or to the
PDF-sink simulator (demo mode, tests). The ``document_printer`` role; docs/devices.md."""
