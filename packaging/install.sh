#!/usr/bin/env bash
# Installs the kiosk on a Debian 12 / Ubuntu 22.04+ terminal. Run as root from a checkout:
#   sudo packaging/install.sh
# It creates the `kiosk` user, installs to /opt/hall-kiosk, config to /etc/hall-kiosk,
# data to /var/lib/hall-kiosk (mode 0700), udev rules and the systemd units.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root"; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=/opt/hall-kiosk
make -C "$src" system-packages
apt-get install -y --no-install-recommends cage python3-venv >/dev/null
id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/hall-kiosk \
  --shell /usr/sbin/nologin --groups dialout,video,lp,input kiosk
install -d -o kiosk -g kiosk -m 0700 /var/lib/hall-kiosk
install -d -m 0755 /etc/hall-kiosk "$prefix"
rsync -a --delete --exclude .venv --exclude .git --exclude var "$src/" "$prefix/"
python3 -m venv "$prefix/.venv"
# Exactly the locked releases, each checked against its hash, then the kiosk itself.
"$prefix/.venv/bin/pip" install -q --require-hashes --no-deps -r "$prefix/requirements.lock"
"$prefix/.venv/bin/pip" install -q --no-deps --no-build-isolation "$prefix"
if [ ! -f /etc/hall-kiosk/kiosk.toml ]; then
  # It will hold the staff/technician PIN hashes: readable by the kiosk group only.
  (umask 0027; sed -e 's/^demo = true/demo = false/' -e 's|^data_dir = "var"|data_dir = "/var/lib/hall-kiosk"|' \
    "$src/kiosk.toml" > /etc/hall-kiosk/kiosk.toml)
  echo "Edit /etc/hall-kiosk/kiosk.toml: [api] base_url, access_key, secret_file; [devices.*]; [roles]."
fi
chown root:kiosk /etc/hall-kiosk/kiosk.toml && chmod 0640 /etc/hall-kiosk/kiosk.toml
install -m 0644 "$src/packaging/udev/70-hall-kiosk.rules" /etc/udev/rules.d/
udevadm control --reload-rules && udevadm trigger || true
install -m 0644 "$src"/packaging/systemd/*.service "$src"/packaging/systemd/*.timer /etc/systemd/system/
systemctl daemon-reload
systemctl enable hall-kiosk.service hall-kiosk-sync.timer
echo "Installed. After configuring: systemctl start hall-kiosk; check devices with: kiosk doctor"
