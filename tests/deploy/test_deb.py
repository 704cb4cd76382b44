"""The Debian package in a clean Debian 12 root: built by ``make deb``, installed with no
network (the venv comes from the bundled wheelhouse), its units verified by systemd in that
root, upgraded while applications wait in the queue (none lost, a backup taken first, the
edited config kept), the queue then delivered to a sandbox on loopback; ``remove`` keeps the
state, ``purge`` keeps nothing.

Expensive (a debootstrap and Debian's Qt/cage runtime the first time, ~350 MB of wheels):
run by ``make test-deb`` (KIOSK_DEB_TESTS=1), as root. The base root and the root with the
package's dependencies are cached in build/deb-test/ as tar files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from kiosk.sandbox.server import SandboxServer
from tests.queue.sandbox_apps import MATERIAL, MATTER, applicant, dump, form, jpeg

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "deb-test"
SUITE = "bookworm"
N_PENDING = 6

pytestmark = [
    pytest.mark.skipif(os.environ.get("KIOSK_DEB_TESTS") != "1",
                       reason="package tests run with `make test-deb` (KIOSK_DEB_TESTS=1)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (chroot)"),
    pytest.mark.timeout(3600),
]

ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
       "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive", "HOME": "/root"}


def run(argv: Sequence[str | Path], *, timeout: float = 1200, check: bool = True,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    res = subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                         timeout=timeout, env=env or ENV)
    if check and res.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} → {res.returncode}\n"
                             f"{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return res


def mirror() -> str:
    """The Debian mirror this machine's apt uses (the same registry, no other host)."""
    for src in [Path("/etc/apt/sources.list.d/debian.sources")]:
        if src.exists():
            for line in src.read_text().splitlines():
                if line.startswith("URIs:"):
                    return line.split()[1]
    for line in Path("/etc/apt/sources.list").read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["deb"]:
            return next(p for p in parts[1:] if p.startswith("http"))
    raise AssertionError("no Debian mirror configured")


class Chroot:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.mounted: list[Path] = []

    def mount(self) -> None:
        for fs, target in (("proc", "proc"), ("devpts", "dev/pts")):
            t = self.path / target
            t.mkdir(parents=True, exist_ok=True)
            run(["mount", "-t", fs, fs, t])
            self.mounted.append(t)
        shm = self.path / "dev" / "shm"
        shm.mkdir(parents=True, exist_ok=True)
        run(["mount", "-t", "tmpfs", "shm", shm])
        self.mounted.append(shm)

    def umount(self) -> None:
        for t in reversed(self.mounted):
            run(["umount", "-l", t], check=False)
        self.mounted.clear()

    def uid(self, user: str) -> str:
        for line in (self.path / "etc" / "passwd").read_text().splitlines():
            f = line.split(":")
            if f[0] == user:
                return f"{f[2]}:{f[3]}"
        raise AssertionError(f"no user {user} in the root")

    def sh(self, *cmd: str | Path, user: str | None = None, net: bool = True,
           check: bool = True, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
        argv: list[str | Path] = ["chroot"]
        if user:
            argv.append(f"--userspec={self.uid(user)}")
        argv += [self.path, *cmd]
        if not net:
            argv = ["unshare", "--net", *argv]
        env = dict(ENV)
        if user == "kiosk":
            env.update(HOME="/var/lib/kiosk", KIOSK_CONFIG="/etc/kiosk/kiosk.toml",
                       QT_QPA_PLATFORM="offscreen")
        return run(argv, env=env, check=check, timeout=timeout)

    def kiosk(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.sh("/usr/bin/kiosk", *args, user="kiosk", check=check)


def extract(tar: Path, dest: Path) -> Chroot:
    dest.mkdir(parents=True)
    run(["tar", "-C", dest, "--numeric-owner", "-xpf", tar])
    return Chroot(dest)


def cached_root(name: str, make: Callable[[Path], None]) -> Path:
    tar = CACHE / f"{name}.tar"
    if not tar.exists():
        work = CACHE / f"{name}.work"
        if work.exists():
            run(["rm", "-rf", "--one-file-system", work])
        make(work)
        run(["tar", "-C", work, "--numeric-owner", "-cpf", f"{tar}.part", "."])
        os.replace(f"{tar}.part", tar)
        run(["rm", "-rf", "--one-file-system", work])
    return tar


def base_root() -> Path:
    def make(work: Path) -> None:
        run(["debootstrap", "--variant=minbase", SUITE, work, mirror()], timeout=1800)
        # no daemon may start inside the root
        rc = work / "usr" / "sbin" / "policy-rc.d"
        rc.write_text("#!/bin/sh\nexit 101\n")
        rc.chmod(0o755)

    return cached_root(f"{SUITE}-minbase", make)


def deps_root(deb: Path) -> Path:
    """The base root with the package's Depends installed (from Debian, with network), so
    that the package itself then installs with no network at all."""
    fields = run(["dpkg-deb", "-f", deb, "Pre-Depends", "Depends"]).stdout
    names = sorted({d.split("(")[0].strip() for line in fields.splitlines()
                    for d in line.split(":", 1)[-1].split(",") if d.strip()})
    key = hashlib.sha256(" ".join([*names, "grim"]).encode()).hexdigest()[:12]
    base = base_root()

    def make(work: Path) -> None:
        root = extract(base, work)
        shutil.copy("/etc/resolv.conf", work / "etc" / "resolv.conf")
        root.mount()
        try:
            root.sh("apt-get", "update", "-qq")
            # grim (a Recommends): screenshots of the session in the cage test
            root.sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *names,
                    "grim", timeout=1800)
            root.sh("apt-get", "clean")
        finally:
            root.umount()

    return cached_root(f"{SUITE}-deps-{key}", make)


def repack(deb: Path, version: str, out: Path) -> Path:
    """The same package as a newer version (what the next release's `make deb` gives)."""
    tree = out.parent / "repack"
    run(["dpkg-deb", "-R", deb, tree])
    control = tree / "DEBIAN" / "control"
    control.write_text("".join(
        f"Version: {version}\n" if line.startswith("Version:") else line
        for line in control.read_text().splitlines(keepends=True)))
    run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "-b", tree, out])
    shutil.rmtree(tree)
    return out


@pytest.fixture(scope="module")
def deb() -> Path:
    started = time.monotonic()
    res = run([ROOT / "packaging" / "deb" / "build.sh"], timeout=1800,
              env={**os.environ})
    path = ROOT / res.stdout.strip().splitlines()[-1]
    print(f"\nmake deb: {path.name}, {path.stat().st_size / 1e6:.0f} MB, "
          f"{time.monotonic() - started:.0f} s")
    return path


@pytest.fixture
def root(deb: Path, tmp_path: Path) -> Iterator[Chroot]:
    tar = deps_root(deb)
    r = extract(tar, tmp_path / "root")
    r.mount()
    try:
        yield r
    finally:
        r.umount()
        run(["rm", "-rf", "--one-file-system", r.path], check=False)


def owner(root: Chroot, name: str) -> int:
    return int(root.uid(name).split(":")[0])


def group_id(root: Chroot, name: str) -> int:
    for line in (root.path / "etc" / "group").read_text().splitlines():
        f = line.split(":")
        if f[0] == name:
            return int(f[2])
    raise AssertionError(f"no group {name}")


def provision(root: Chroot, base_url: str) -> None:
    """What a hall's IT does after installing (docs/operations.md)."""
    cfg = root.path / "etc" / "kiosk" / "kiosk.toml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace('device_id = "UNSET"', 'device_id = "DEMO-KIOSK-0001"')
    text = text.replace('access_key = "UNSET"', 'access_key = "DEMO-KIOSK-0001"')
    text = text.replace('base_url = "https://gateway.invalid/uap/v1"', f'base_url = "{base_url}"')
    for dev in ("idcard", "camera", "printer", "scanner"):  # no hardware in the test root
        text = text.replace(f'[devices.{dev}]\ndriver = "simulated"', f'[devices.{dev}]\ndriver = "none"')
    cfg.write_text(text, encoding="utf-8")
    secret = root.path / "etc" / "kiosk" / "api-secret"
    shutil.copy(ROOT / "packaging" / "demo" / "demo-api-secret", secret)
    os.chown(secret, 0, group_id(root, "kiosk"))
    secret.chmod(0o640)


def batch(root: Chroot, n: int) -> str:
    inbox = root.path / "srv" / "inbox"
    inbox.mkdir(parents=True)
    lines = []
    for i in range(n):
        (inbox / f"{i}.jpg").write_bytes(jpeg(i, 10_000))
        lines.append(json.dumps({"matter": MATTER, "applicant": applicant(), "form": form(),
                                 "attach": [{"materialCode": MATERIAL, "file": f"{i}.jpg"}],
                                 "clientId": f"0190dddd-0000-7000-8000-{i:012d}"},
                                ensure_ascii=False))
    (inbox / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for p in [inbox, *inbox.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return "/srv/inbox/batch.jsonl"


def queue_status(root: Chroot) -> dict[str, int]:
    out: dict[str, int] = json.loads(root.kiosk("queue", "status", "--json").stdout)
    return out


def test_install_offline_upgrade_with_a_pending_queue_remove_and_purge(
        root: Chroot, deb: Path, tmp_path: Path) -> None:
    # -- install, no network: the venv comes from the wheelhouse in the package --
    (root.path / "tmp" / deb.name).write_bytes(deb.read_bytes())
    started = time.monotonic()
    res = root.sh("dpkg", "-i", f"/tmp/{deb.name}", net=False)
    install_s = time.monotonic() - started
    print(f"\ninstall (dpkg -i, no network): {install_s:.0f} s")
    assert "systemctl start hall-kiosk" in res.stdout
    assert "kiosk" in root.sh("/usr/bin/kiosk", "--version").stdout
    venv = root.path / "opt" / "hall-kiosk" / "venv"
    print(f"installed: {run(['du', '-sh', root.path / 'opt' / 'hall-kiosk']).stdout.split()[0]}")
    assert (venv / "bin" / "python").exists()
    # there was nothing to build with: the root has no compiler
    assert not any((root.path / "usr" / "bin" / cc).exists() for cc in ("gcc", "cc", "g++"))

    kiosk_uid, kiosk_gid = owner(root, "kiosk"), group_id(root, "kiosk")
    state = root.path / "var" / "lib" / "kiosk"
    cfg = root.path / "etc" / "kiosk" / "kiosk.toml"
    assert (oct(state.stat().st_mode & 0o7777), state.stat().st_uid) == ("0o700", kiosk_uid)
    assert (oct(cfg.stat().st_mode & 0o7777), cfg.stat().st_uid, cfg.stat().st_gid) == \
        ("0o640", 0, kiosk_gid)
    groups = root.sh("id", "-nG", "kiosk").stdout.split()
    assert {"dialout", "video", "lp", "input"} <= set(groups)

    # -- the units, as systemd in that root sees them --
    units = [f"/lib/systemd/system/{u}" for u in
             ("hall-kiosk.service", "hall-kiosk-sync.service", "hall-kiosk-sync.timer",
              "hall-kiosk-update.service", "hall-kiosk-update.path")]
    res = root.sh("systemd-analyze", "verify", "--man=no", *units, check=False)
    assert res.returncode == 0 and not res.stderr.strip(), res.stderr
    wants = root.path / "etc" / "systemd" / "system"
    assert (wants / "graphical.target.wants" / "hall-kiosk.service").is_symlink()
    assert (wants / "timers.target.wants" / "hall-kiosk-sync.timer").is_symlink()
    assert (wants / "multi-user.target.wants" / "hall-kiosk-update.path").is_symlink()

    # -- the shipped conffile is a production one (no demo, no embedded sandbox) --
    shipped = cfg.read_text(encoding="utf-8")
    assert "demo = false" in shipped and 'base_url = "embedded"' not in shipped
    assert not (root.path / "etc" / "kiosk" / "api-secret").exists()
    server = SandboxServer(tmp_path / "platform" / "sandbox.db").start()
    try:
        provision(root, server.base_url)
        res = root.kiosk("config", "check", check=False)
        assert res.returncode == 0, res.stdout + res.stderr

        # -- applications waiting in the queue (stored, not sent) --
        stored = root.kiosk("submit", "--batch", batch(root, N_PENDING), "--no-sync", "--json")
        assert [json.loads(x)["state"] for x in stored.stdout.splitlines()] == \
            ["queued"] * N_PENDING
        before = queue_status(root)
        assert before["pending"] == N_PENDING
        key = next((state / "queue").glob("*.key")).read_bytes()
        root.kiosk("service", "suspend", "--reason", "升级前")  # audited: the log has records
        audit_before = root.kiosk("audit", "verify", check=False).stdout

        # -- upgrade, no network, applications pending --
        new = repack(deb, "0.1.0-2", tmp_path / "hall-kiosk_0.1.0-2.deb")
        (root.path / "tmp" / new.name).write_bytes(new.read_bytes())
        started = time.monotonic()
        root.sh("dpkg", "-i", "--force-confold", f"/tmp/{new.name}", net=False)
        print(f"upgrade (dpkg -i, no network): {time.monotonic() - started:.0f} s")
        assert root.sh("dpkg-query", "-W", "-f", "${Version}", "hall-kiosk").stdout == "0.1.0-2"
        assert server.base_url in cfg.read_text(encoding="utf-8"), "the edited config was kept"
        assert (oct(cfg.stat().st_mode & 0o7777), cfg.stat().st_gid) == ("0o640", kiosk_gid)
        [backup] = list((state / "backup").glob("pre-0.1.0-2-*"))
        assert (backup / "queue").is_dir() and list((backup / "queue").glob("*.key"))
        assert oct((state / "backup").stat().st_mode & 0o777) == "0o700"
        after = queue_status(root)
        assert after["pending"] == N_PENDING, after
        assert next((state / "queue").glob("*.key")).read_bytes() == key
        assert root.kiosk("audit", "verify", check=False).stdout == audit_before
        assert json.loads(root.kiosk("service", "status", "--json").stdout)["outOfService"]

        # -- the queue delivered after the upgrade: every application, once --
        res = root.kiosk("queue", "sync", "--until-empty", "--timeout", "120", check=False)
        assert res.returncode == 0, res.stdout + res.stderr
        assert queue_status(root)["pending"] == 0
    finally:
        server.stop()
    ids = [r["clientApplicationId"] for r in dump(tmp_path / "platform" / "sandbox.db")]
    assert sorted(ids) == [f"0190dddd-0000-7000-8000-{i:012d}" for i in range(N_PENDING)]

    # -- remove keeps config and state; purge keeps nothing --
    root.sh("dpkg", "-r", "hall-kiosk", net=False)
    assert not (root.path / "opt" / "hall-kiosk").exists()
    assert not (root.path / "usr" / "bin" / "kiosk").exists()
    assert cfg.exists() and (state / "queue").is_dir()
    assert root.sh("id", "kiosk", check=False).returncode == 0
    root.sh("dpkg", "-P", "hall-kiosk", net=False)
    assert not state.exists() and not (root.path / "etc" / "kiosk").exists()
    assert root.sh("id", "kiosk", check=False).returncode != 0
    assert not list((root.path / "etc" / "systemd" / "system").rglob("hall-kiosk*"))


BASELINE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from cysystemd.daemon import Notification, notify
app = QApplication(sys.argv[:1])
w = QWidget()
w.showFullScreen()
QTimer.singleShot(250, lambda: notify(Notification.READY))  # as kiosk/watchdog.py does
app.exec()
"""


def unit_command(root: Chroot) -> tuple[dict[str, str], list[str]]:
    """Environment= and ExecStart= of the installed kiosk unit."""
    env: dict[str, str] = {}
    argv: list[str] = []
    text = (root.path / "lib" / "systemd" / "system" / "hall-kiosk.service").read_text()
    for line in text.splitlines():
        if line.startswith("Environment="):
            k, _, v = line.removeprefix("Environment=").partition("=")
            env[k] = v
        elif line.startswith("ExecStart="):
            argv = line.removeprefix("ExecStart=").split()
    return env, argv


def session(root: Chroot, argv: list[str], env: dict[str, str], seconds: float,
            shot: Path | None = None) -> tuple[float | None, list[str]]:
    """Runs a command line as the kiosk user in a headless cage session (wlroots' headless
    backend, pixman renderer), as the unit would on tty1; returns the seconds to READY=1 on
    a notify socket like systemd's, and the notifications."""
    import socket

    rt = root.path / "run" / "hall-kiosk"  # RuntimeDirectory=hall-kiosk, 0700 kiosk
    rt.mkdir(parents=True, exist_ok=True)
    uid, gid = (int(x) for x in root.uid("kiosk").split(":"))
    os.chown(rt, uid, gid)
    rt.chmod(0o700)
    sock_path = rt / "notify"
    sock_path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(sock_path))
    os.chown(sock_path, uid, gid)
    sock.settimeout(0.2)
    full = {**ENV, "HOME": "/var/lib/kiosk", **env, "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman",
            "NOTIFY_SOCKET": "/run/hall-kiosk/notify", "WATCHDOG_USEC": "30000000"}
    cmd = ["chroot", f"--userspec={uid}:{gid}", str(root.path), "/usr/bin/env",
           "-C", "/var/lib/kiosk", *argv]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    ready: float | None = None
    lines: list[str] = []
    try:
        while time.monotonic() - started < seconds and proc.poll() is None:
            try:
                lines += sock.recv(4096).decode().splitlines()
            except TimeoutError:
                continue
            if ready is None and "READY=1" in lines:
                ready = time.monotonic() - started
                if shot is not None:
                    time.sleep(1.0)
                    wl = next(p.name for p in rt.iterdir() if p.name.startswith("wayland-")
                              and not p.name.endswith(".lock"))
                    run(["chroot", f"--userspec={uid}:{gid}", root.path, "/usr/bin/env",
                         "XDG_RUNTIME_DIR=/run/hall-kiosk", f"WAYLAND_DISPLAY={wl}",
                         "grim", "/run/hall-kiosk/shot.png"])
                    shutil.copy(rt / "shot.png", shot)
                    break
                if shot is None:
                    break
    finally:
        proc.terminate()
        try:
            out = proc.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            proc.kill()
            out = proc.communicate()[0].decode(errors="replace")
        sock.close()
    if ready is None:
        raise AssertionError(f"no READY=1 in {seconds} s: {lines}\n{out[-3000:]}")
    return ready, lines


def test_the_units_command_line_under_cage_paints_the_attract_screen(
        root: Chroot, deb: Path, tmp_path: Path) -> None:
    (root.path / "tmp" / deb.name).write_bytes(deb.read_bytes())
    # packaging/install.sh FILE.deb, no network; a secret an administrator left world-readable
    shutil.copy(ROOT / "packaging" / "install.sh", root.path / "tmp" / "install.sh")
    (root.path / "etc" / "kiosk").mkdir(mode=0o755)
    secret = root.path / "etc" / "kiosk" / "api-secret"
    secret.write_bytes((ROOT / "packaging" / "demo" / "demo-api-secret").read_bytes())
    secret.chmod(0o644)
    res = root.sh("bash", "/tmp/install.sh", f"/tmp/{deb.name}", net=False)
    cfg = root.path / "etc" / "kiosk" / "kiosk.toml"
    kiosk_gid = group_id(root, "kiosk")
    for path in (cfg, secret):
        st = path.stat()
        assert (oct(st.st_mode & 0o777), st.st_uid, st.st_gid) == ("0o640", 0, kiosk_gid), path
    assert oct((root.path / "etc" / "kiosk").stat().st_mode & 0o777) == "0o750"
    assert "640 root:kiosk /etc/kiosk/kiosk.toml" in res.stdout
    # demo settings (embedded sandbox, simulated devices) in the installed config
    text = cfg.read_text(encoding="utf-8").replace("demo = false", "demo = true")
    text = text.replace('base_url = "https://gateway.invalid/uap/v1"', 'base_url = "embedded"')
    cfg.write_text(text, encoding="utf-8")
    provision(root, "embedded")
    env, argv = unit_command(root)
    assert argv[:2] == ["/usr/bin/env", "XDG_RUNTIME_DIR=/run/hall-kiosk"]

    shot = ROOT / "test-artifacts" / "cage-attract.png"
    shot.parent.mkdir(exist_ok=True)
    kiosk_s, lines = session(root, argv, env, 90, shot)
    assert "STATUS=attract screen shown" in lines
    # Baseline: a bare full-screen Qt window in the same session, same notification.
    (root.path / "tmp" / "bare.py").write_text(BASELINE)
    bare_s, _ = session(root, [*argv[:argv.index("--") + 1], "/opt/hall-kiosk/venv/bin/python",
                                       "/tmp/bare.py"],
                        env, 60)
    print(f"\nunder cage (headless): attract screen READY after {kiosk_s:.1f} s; "
          f"bare window {bare_s:.1f} s")

    from PIL import Image

    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(1_000_000) or []
    assert len(colours) > 50, "the screenshot is blank"
    # No client-side title bar: the top rows are the kiosk's own header, full width, with
    # no bar of another colour above it (cage -d, QT_WAYLAND_DISABLE_WINDOWDECORATION).
    top = [img.getpixel((x, 0)) for x in range(0, img.width, 16)]
    assert len(set(top)) <= 2, top


def gpg(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(["gpg", "--homedir", str(home), "--batch", "--quiet", "--pinentry-mode",
                "loopback", "--passphrase", "", *args])


def signing_key(home: Path, name: str) -> bytes:
    home.mkdir(mode=0o700, parents=True)
    gpg(home, "--quick-gen-key", f"{name} <{name}@invalid>", "ed25519", "sign", "never")
    exported = subprocess.run(["gpg", "--homedir", str(home), "--batch", "--export"],
                              capture_output=True, timeout=60, check=True).stdout
    return exported


def publish(repo: Path, home: Path) -> None:
    """A flat apt repository: Packages, Release, and InRelease signed with ``home``'s key."""
    res = subprocess.run(["dpkg-scanpackages", "--multiversion", "."], cwd=repo,
                         capture_output=True, timeout=120, check=True)
    (repo / "Packages").write_bytes(res.stdout)
    data = res.stdout
    release = ("Origin: hall\nLabel: hall\nSuite: stable\nCodename: hall\n"
               f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S UTC', time.gmtime())}\n"
               f"SHA256:\n {hashlib.sha256(data).hexdigest()} {len(data)} Packages\n")
    (repo / "Release").write_text(release)
    (repo / "InRelease").unlink(missing_ok=True)
    gpg(home, "--clearsign", "-o", str(repo / "InRelease"), str(repo / "Release"))


def test_install_version_from_the_halls_signed_repository(
        root: Chroot, deb: Path, tmp_path: Path) -> None:
    import socket
    import sys

    import requests

    (root.path / "tmp" / deb.name).write_bytes(deb.read_bytes())
    root.sh("dpkg", "-i", f"/tmp/{deb.name}", net=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    repack(deb, "0.1.0-2", repo / "hall-kiosk_0.1.0-2.deb")
    hall_key = signing_key(tmp_path / "gnupg-hall", "hall-repo")
    rogue = tmp_path / "gnupg-rogue"
    signing_key(rogue, "rogue")
    publish(repo, tmp_path / "gnupg-hall")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    http = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "--directory", str(repo)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = SandboxServer(tmp_path / "platform" / "sandbox.db").start()
    try:
        (root.path / "usr" / "share" / "keyrings").mkdir(parents=True, exist_ok=True)
        (root.path / "usr" / "share" / "keyrings" / "hall-kiosk.gpg").write_bytes(hall_key)
        (root.path / "etc" / "apt" / "sources.list.d" / "hall-kiosk.list").write_text(
            f"deb [signed-by=/usr/share/keyrings/hall-kiosk.gpg] http://127.0.0.1:{port}/ ./\n")
        provision(root, server.base_url)
        with (root.path / "etc" / "kiosk" / "kiosk.toml").open("a") as f:
            f.write("\n[update]\nring = 0\n")
        admin = server.root_url + "/__admin/devices/DEMO-KIOSK-0001/commands"

        def command(version: str) -> dict[str, str]:
            r = requests.post(admin, json={"type": "INSTALL_VERSION", "args": {
                "version": version, "rings": "0"}}, timeout=10)
            assert r.status_code == 201, r.text
            out = json.loads(root.kiosk("heartbeat", "--once", "--no-devices", "--json").stdout)
            [result] = out["commands"]
            return dict(result)

        def installer() -> dict[str, str]:
            # what hall-kiosk-update.path starts: the root oneshot
            root.sh("/usr/lib/hall-kiosk/install-version")
            out: dict[str, str] = json.loads(
                (root.path / "var" / "lib" / "kiosk" / "update" / "result.json").read_text())
            return out

        def version() -> str:
            return root.sh("dpkg-query", "-W", "-f", "${Version}", "hall-kiosk").stdout

        assert command("0.1.0-2")["result"] == "DONE"
        assert (root.path / "var" / "lib" / "kiosk" / "update" / "request.json").exists()
        started = time.monotonic()
        done = installer()
        print(f"\nINSTALL_VERSION 0.1.0-2 from the hall repository: {time.monotonic() - started:.0f} s")
        assert (done["result"], version()) == ("DONE", "0.1.0-2"), done
        root.kiosk("heartbeat", "--once", "--no-devices")
        view = requests.get(server.root_url + "/__admin/devices/DEMO-KIOSK-0001", timeout=10).json()
        assert view["lastHeartbeat"]["update"]["result"] == "DONE"

        # Never downwards.
        command("0.1.0-1")
        assert installer()["result"] == "REJECTED" and version() == "0.1.0-2"
        # A repository re-signed by another key (a rogue mirror) is refused.
        repack(deb, "0.1.0-3", repo / "hall-kiosk_0.1.0-3.deb")
        publish(repo, rogue)
        command("0.1.0-3")
        refused = installer()
        assert refused["result"] == "FAILED" and version() == "0.1.0-2", refused
    finally:
        server.stop()
        http.terminate()
        http.wait(10)
