#!/usr/bin/env bash
# `make deb`: dist/hall-kiosk_VERSION_ARCH.deb with dpkg-deb, from the lock file.
#
# The package carries a wheelhouse (every locked runtime wheel, each checked against the lock's
# hash when downloaded and again when installed, plus the kiosk's own wheel); its postinst
# builds /opt/hall-kiosk/venv from it with Debian's python3 -m venv and pip --no-index, so a
# kiosk needs neither the internet nor a compiler. Wheels are cached in build/wheelhouse.
#
#   DEB_VERSION   package version (default: the version in pyproject.toml, Debian revision 1)
#   PYTHON        the venv's python, for building the wheel (default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
py=${PYTHON:-$root/.venv/bin/python}
version=$("$py" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
deb_version=${DEB_VERSION:-$version-1}
arch=$(dpkg --print-architecture)
case "$arch" in amd64|arm64) ;; *) echo "unsupported architecture $arch" >&2; exit 2 ;; esac
pkg=hall-kiosk
out=dist/${pkg}_${deb_version}_${arch}.deb

# 1. Wheelhouse: only binary wheels (no sdist: nothing to compile on the kiosk), each hashed.
wheels=build/wheelhouse
mkdir -p "$wheels"
"$py" -m pip download -q --disable-pip-version-check --require-hashes --only-binary=:all: \
  --no-deps -r requirements.lock -d "$wheels" 2> >(grep -v "is ignored: it is neither" >&2)
# 2. The kiosk's own wheel, built with the locked setuptools (no build isolation, no download).
rm -rf build/ownwheel && mkdir -p build/ownwheel
"$py" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
  -w build/ownwheel . >/dev/null
own=$(ls build/ownwheel/hall_kiosk-*.whl)

# 3. The tree.
stage=build/deb/$pkg
rm -rf build/deb && mkdir -p "$stage/DEBIAN"
app=$stage/opt/hall-kiosk
install -d -m 0755 "$app/wheels" "$stage/etc/kiosk" "$stage/lib/systemd/system" \
  "$stage/lib/udev/rules.d" "$stage/usr/bin" "$stage/usr/share/doc/$pkg"
# Only the wheels this lock names for this machine (the folder may hold older ones).
"$py" - "$wheels" "$app/wheels" <<'PY'
import re, shutil, sys
from pathlib import Path
src, dst = Path(sys.argv[1]), Path(sys.argv[2])
lock = Path("requirements.lock").read_text()
hashes = set(re.findall(r"--hash=sha256:([0-9a-f]{64})", lock))
import hashlib
for whl in sorted(src.glob("*.whl")):
    if hashlib.sha256(whl.read_bytes()).hexdigest() in hashes:
        shutil.copy2(whl, dst / whl.name)
PY
cp "$own" "$app/wheels/"
install -m 0644 requirements.lock "$app/requirements.lock"
echo "$deb_version" > "$app/VERSION"
# The conffile: the shipped kiosk.toml made a production one (no demo, no embedded sandbox).
sed -e 's/^demo = true.*/demo = false/' \
    -e 's|^data_dir = "var"|data_dir = "/var/lib/kiosk"|' \
    -e 's|^base_url = "embedded".*|base_url = "https://gateway.invalid/uap/v1"   # the province gateway: set before starting|' \
    -e 's|^secret_file = .*|secret_file = "/etc/kiosk/api-secret"   # provisioned, 0640 root:kiosk|' \
    -e 's|^device_id = .*|device_id = "UNSET"                # the platform'"'"'s id for this terminal|' \
    -e 's|^access_key = .*|access_key = "UNSET"|' \
    -e 's|^fullscreen = false|fullscreen = true|' \
    kiosk.toml > "$stage/etc/kiosk/kiosk.toml"
chmod 0640 "$stage/etc/kiosk/kiosk.toml"
install -m 0644 packaging/systemd/hall-kiosk.service packaging/systemd/hall-kiosk-sync.service \
  packaging/systemd/hall-kiosk-sync.timer packaging/systemd/hall-kiosk-update.service \
  packaging/systemd/hall-kiosk-update.path "$stage/lib/systemd/system/"
install -d -m 0755 "$stage/usr/lib/hall-kiosk"
install -m 0755 packaging/deb/install-version "$stage/usr/lib/hall-kiosk/install-version"
install -m 0644 packaging/udev/70-hall-kiosk.rules "$stage/lib/udev/rules.d/"
ln -s /opt/hall-kiosk/venv/bin/kiosk "$stage/usr/bin/kiosk"
install -m 0644 packaging/deb/copyright "$stage/usr/share/doc/$pkg/copyright"
printf '%s (%s) stable; urgency=medium\n\n  * Release %s.\n\n -- Hall kiosk maintainers <kiosk@invalid>  %s\n' \
  "$pkg" "$deb_version" "$deb_version" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" \
  | gzip -9n > "$stage/usr/share/doc/$pkg/changelog.Debian.gz"

for s in preinst postinst prerm postrm; do install -m 0755 "packaging/deb/$s" "$stage/DEBIAN/$s"; done
echo /etc/kiosk/kiosk.toml > "$stage/DEBIAN/conffiles"
size_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size_kb/" \
  packaging/deb/control > "$stage/DEBIAN/control"

mkdir -p dist
rm -f "$out"
# The wheels are zip files already (xz -6 took 3 min to save 0.1 %): a light gzip.
dpkg-deb --root-owner-group -Zgzip -z1 --build "$stage" "$out" >/dev/null
echo "$out"
