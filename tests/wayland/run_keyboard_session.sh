#!/bin/bash
# The on-screen keyboard in the kiosk's own kind of session: the real kiosk window under cage
# (the Wayland kiosk compositor packaging/systemd/hall-kiosk.service starts), headless
# (WLR_BACKENDS=headless), as a non-root user, with screenshots of the compositor's output
# taken by grim. tests/wayland/keyboard_session.py does the tapping and writes report.json;
# tests/wayland/test_keyboard_session.py runs this script under `make test`.
#
#   tests/wayland/run_keyboard_session.sh [OUTDIR]        (default: ../test-artifacts/wayland)
#
# Needs Debian's cage and grim (`make setup` installs them). Without a GPU, wlroots 0.15
# logs "drmGetDevices2 failed" and "Basic output test failed" and goes on with its pixman
# renderer: those lines are expected. Root runs the session as $KIOSK_TEST_USER (default:
# nobody), as cage refuses to be started by root in a real session anyway.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(realpath -m "${1:-$ROOT/../test-artifacts/wayland}")
for tool in cage grim; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (make setup installs it)"; exit 2; }
done
RUN=$(mktemp -d /tmp/kiosk-wayland.XXXXXX)
trap 'rm -rf "$RUN"' EXIT
mkdir -p "$OUT" "$RUN/out"
rm -f "$OUT"/*.png "$OUT/report.json"
PY="$ROOT/.venv/bin/python"
AS=()
if [ "$(id -u)" = 0 ]; then
  TEST_USER=${KIOSK_TEST_USER:-nobody}
  AS=(runuser -u "$TEST_USER" --)
  chown "$TEST_USER" "$RUN" "$RUN/out"
  if ! "${AS[@]}" test -x "$(readlink -f "$PY")"; then
    # The venv's interpreter lives where the test user cannot read it (e.g. under /root):
    # a venv of the system python3 (the same minor version) that sees the project venv's
    # packages through a .pth file.
    /usr/bin/python3 -m venv --without-pip "$RUN/venv"
    SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "import site; site.addsitedir('$SITE')" \
      > "$("$RUN/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/kiosk.pth"
    chmod -R a+rX "$RUN/venv"
    chown -R "$TEST_USER" "$RUN/venv"
    PY="$RUN/venv/bin/python"
  fi
fi
chmod 700 "$RUN"
cd "$ROOT"
echo "== cage (WLR_BACKENDS=headless) + grim, as ${TEST_USER:-$(id -un)}"
"${AS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$RUN" XDG_RUNTIME_DIR="$RUN" \
  LANG=C.UTF-8 PYTHONPATH="$ROOT" QT_QPA_PLATFORM=wayland \
  WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 \
  cage -- "$PY" -m tests.wayland.keyboard_session "$RUN/out" -- grim >"$RUN/cage.log" 2>&1 || true
cp -r "$RUN/out/." "$OUT/"  # the test user may not write there (a root-only pytest tmp dir)
# cage's exit status says nothing about the session: its report does
grep -v '^[0-9:.]* \[' "$RUN/cage.log" | tail -80 || true  # the session's output, not wlroots'
if [ ! -f "$OUT/report.json" ]; then
  echo "no report: the session did not run under cage; cage's log:"; tail -20 "$RUN/cage.log"
  exit 1
fi
"$PY" -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))["ok"] else 1)' \
  "$OUT/report.json"
