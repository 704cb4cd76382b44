"""PySide6 touchscreen UI: the only package that imports Qt."""
