#!/usr/bin/env bash
# Installs the kiosk on a Debian 12 terminal from a checkout, as the Debian package does
# (the package is the one way in; docs/operations.md):
#   sudo packaging/install.sh            # builds dist/hall-kiosk_*.deb, then installs it
#   sudo packaging/install.sh FILE.deb   # installs a package built elsewhere (offline-capable)
# The package creates the `kiosk` system user, /opt/hall-kiosk (its venv from the bundled,
# hash-locked wheels: no internet, no compiler), /etc/kiosk/kiosk.toml (0640 root:kiosk: it
# holds the PIN hashes), /var/lib/kiosk (0700 kiosk), the udev rules and the systemd units.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root"; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-}
if [ -z "$deb" ]; then
  make -C "$src" deb
  deb=$(ls -t "$src"/dist/hall-kiosk_*.deb | head -1)
fi
# apt resolves the Debian dependencies (cage, Qt's runtime libraries, python3-venv …) from
# the configured mirror; --force-confold keeps an edited /etc/kiosk/kiosk.toml on upgrade.
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o Dpkg::Options::=--force-confold "$(realpath "$deb")"
# Files an administrator put in /etc/kiosk: readable by the kiosk, by nobody else.
for f in /etc/kiosk/kiosk.toml /etc/kiosk/api-secret /etc/kiosk/*.key; do
  [ -e "$f" ] || continue
  chown root:kiosk "$f"
  chmod 0640 "$f"
done
stat -c '%a %U:%G %n' /etc/kiosk/kiosk.toml
echo "Installed. Configure /etc/kiosk/kiosk.toml, check with 'kiosk config check' and"
echo "'kiosk doctor', then: systemctl start hall-kiosk (docs/operations.md)."
