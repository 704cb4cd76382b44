#!/bin/bash
# The on-screen keyboard in a headless Wayland kiosk session, as a non-root user, with
# compositor screenshots (tests/wayland/keyboard_session.py does the tapping).
#
#   tests/wayland/run_keyboard_session.sh [OUTDIR]        (default: ../test-artifacts/wayland)
#
# Not part of `make test`: it needs a compositor and a screenshot tool (Debian: cage grim,
# or weston) and takes ~20 s. Tries cage first (WLR_BACKENDS=headless, screenshots with
# grim), as packaging/systemd/hall-kiosk.service runs it. Debian 12's cage 0.1.4 is built on
# wlroots 0.15, whose headless backend needs a DRM render node (/dev/dri/renderD*): without a
# GPU it stops with "drmGetDevices2 failed". Then the same session runs under weston's
# headless backend with the pixman renderer (desktop-shell; weston 10's kiosk-shell gives
# black screenshots there), screenshots with weston-screenshooter. Both are Wayland
# compositors: the Qt client side, where Qt Virtual Keyboard refused to work, is the same.
# Root runs the session as $KIOSK_TEST_USER (default: nobody).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(realpath -m "${1:-$ROOT/../test-artifacts/wayland}")
RUN=$(mktemp -d /tmp/kiosk-wayland.XXXXXX)
mkdir -p "$OUT"
PY="$ROOT/.venv/bin/python"
AS=()
if [ "$(id -u)" = 0 ]; then
  TEST_USER=${KIOSK_TEST_USER:-nobody}
  AS=(runuser -u "$TEST_USER" --)
  chown "$TEST_USER" "$RUN" "$OUT"
  if ! "${AS[@]}" test -x "$(readlink -f "$PY")"; then
    # The venv's interpreter lives where the test user cannot read it (e.g. under /root):
    # a venv of the system python3 that sees the project venv's packages.
    /usr/bin/python3 -m venv --without-pip "$RUN/venv"  # same minor version as the venv
    SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "import site; site.addsitedir('$SITE')" \
      > "$("$RUN/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/kiosk.pth"
    chmod -R a+rX "$RUN/venv"
    chown -R "$TEST_USER" "$RUN/venv"
    PY="$RUN/venv/bin/python"
  fi
fi
chmod 700 "$RUN"
ENV=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$RUN" XDG_RUNTIME_DIR="$RUN"
     LANG=C.UTF-8 PYTHONPATH="$ROOT" QT_QPA_PLATFORM=wayland)
SESSION=("$PY" -m tests.wayland.keyboard_session "$OUT")
cd "$ROOT"

if command -v cage >/dev/null && command -v grim >/dev/null; then
  echo "== cage (WLR_BACKENDS=headless) + grim"
  rm -f "$OUT/report.json"
  status=0
  "${AS[@]}" "${ENV[@]}" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 \
    cage -- "${SESSION[@]}" -- grim >"$RUN/cage.log" 2>&1 || status=$?
  if [ -f "$OUT/report.json" ]; then  # cage's own exit status says nothing about the session
    tail -40 "$RUN/cage.log"; exit $status
  fi
  tail -5 "$RUN/cage.log"
  if ! grep -q "drmGetDevices2\|DRM" "$RUN/cage.log"; then exit 1; fi
  echo "cage cannot start headless here (no DRM render node): trying weston"
fi

command -v weston >/dev/null || { echo "neither cage nor weston can run here"; exit 1; }
echo "== weston (headless backend, pixman) + weston-screenshooter"
"${AS[@]}" "${ENV[@]}" weston --backend=headless-backend.so --use-pixman \
  --shell=desktop-shell.so --width=1280 --height=720 --debug --socket=kiosk-wl \
  --idle-time=0 >"$RUN/weston.log" 2>&1 &
WESTON=$!
trap 'kill "$WESTON" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -S "$RUN/kiosk-wl" ] && break; sleep 0.1; done
cd "$RUN"
status=0
"${AS[@]}" "${ENV[@]}" WAYLAND_DISPLAY=kiosk-wl PYTHONPATH="$ROOT" \
  "${SESSION[@]}" -- weston-screenshooter >"$RUN/session.log" 2>&1 || status=$?
tail -40 "$RUN/session.log"
exit $status
