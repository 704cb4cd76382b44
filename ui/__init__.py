"""PySide6 touchscreen UI: the only package that imports Qt."""

from kiosk.malloc_tuning import tune_malloc
from ui.refcount_guard import protect_singletons

protect_singletons()  # PySide6 6.12.0 on CPython 3.11 loses references to None (see module)
tune_malloc()  # large camera buffers on worker threads must not fragment the heap (see module)
