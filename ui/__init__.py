"""PySide6 touchscreen UI: the only package that imports Qt."""

from kiosk.malloc_tuning import tune_malloc

tune_malloc()  # large camera buffers on worker threads must not fragment the heap (see module)
