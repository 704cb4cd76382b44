# Two commands for people: `make run` (demo kiosk) and `make test` (everything CI checks).
# Both do their own setup: Debian packages (when root), the virtual environment, and the pip
# packages exactly as pinned, with hashes, in requirements-dev.lock (`make lock` updates it).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Measured in ../shared/research/env-probe.md §1: Qt offscreen + xcb runtime, a CJK font,
# zbar for pyzbar, pulse for Qt's audio libraries, libusb for USB printers, Xvfb and socat; cage and
# grim (and the Wayland client libraries of Qt's wayland platform) for the on-screen keyboard's
# test in the kiosk's own Wayland session (tests/wayland).
APT_PACKAGES := libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 libfontconfig1 \
	libdbus-1-3 libx11-6 libbrotli1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libzbar0 libpulse0 libusb-1.0-0 \
	fonts-wqy-microhei fonts-hanazono xvfb xauth socat python3-venv \
	cage grim libwayland-client0 libwayland-cursor0 mosquitto systemd dpkg-dev \
	python3-pyatspi at-spi2-core dbus-daemon cups-daemon cups-client
# mosquitto: the fleet tests start a real broker on loopback (the system service is not used);
# systemd: systemd-analyze checks the units; dpkg-dev: make deb; python3-pyatspi, at-spi2-core
# and dbus-daemon: a screen reader's view of the running kiosk over AT-SPI (tests/ui/test_screen_reader.py);
# cups-daemon, cups-client: the A4 document printer's cups driver runs lp/lpstat, and its tests
# start a private cupsd on loopback (tests/devices/cups_server.py; the system service is not used).

.PHONY: run test setup system-packages lint bench clean lock deb test-deb

setup: system-packages $(STAMP)

system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run as root:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $$missing"; \
	    exit 1; \
	  fi; \
	fi

# Only what the lock names, each file checked against its hash; then our own package, built with
# the locked setuptools (no build isolation: nothing unpinned is downloaded).
$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The one command that updates the locks after a change to pyproject.toml (or to take newer
# releases: add --upgrade or --upgrade-package NAME to LOCK_ARGS). Universal (x86_64 and arm64
# kiosks), for CPython 3.11 (Debian 12's python3); the dev lock keeps the runtime lock's versions.
LOCK_ARGS ?=
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" -q $(LOCK_ARGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.lock --universal \
	  --python-version 3.11 --generate-hashes --custom-compile-command "make lock" -q $(LOCK_ARGS) \
	  -o requirements-dev.lock

run: setup
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display found: starting the kiosk on a virtual screen (Xvfb, 1280x800)."; \
	  xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/kiosk run; \
	else \
	  $(BIN)/kiosk run; \
	fi

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy kiosk devices offline_queue ui
	$(BIN)/lint-imports

# dist/hall-kiosk_VERSION_ARCH.deb (packaging/deb/build.sh; DEB_VERSION=… to override).
deb: setup
	@command -v dpkg-deb >/dev/null || { echo "dpkg-deb is missing (Debian's dpkg)"; exit 1; }
	packaging/deb/build.sh

# The package installed, upgraded with applications pending, removed and purged in a fresh
# Debian 12 root (debootstrap; ~10 min the first time, the base root is cached in build/).
test-deb: setup
	@[ "$$(id -u)" = 0 ] || { echo "test-deb needs root (chroot)"; exit 1; }
	@command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
	KIOSK_DEB_TESTS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests/deploy/test_deb.py

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info var .pytest_cache .mypy_cache .ruff_cache
