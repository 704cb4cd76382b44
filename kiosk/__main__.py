# ``python -m kiosk``: the whole program, as the ``kiosk`` script (ui.cli, which adds the
# commands that start the window). The one import of ui under kiosk/, allowed by name in the
# layer contract (pyproject.toml, [tool.importlinter]); nothing imports this module.
from ui.cli import main

raise SystemExit(main())
