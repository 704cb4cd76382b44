"""A real Mosquitto broker (Debian's) on loopback, one per test, plain or TLS with client
certificates made here."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Mosquitto:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_mosquitto(tmp: Path, *, tls: dict[str, Path] | None = None) -> Mosquitto:
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed (make setup installs it)")
    port = free_port()
    conf = tmp / "mosquitto.conf"
    log = tmp / "mosquitto.log"
    lines = [f"listener {port} 127.0.0.1", "persistence false", "log_dest stdout",
             "log_type error", "log_type warning", "log_type notice", "log_type information",
             "log_timestamp_format %H:%M:%S",
             "max_queued_messages 10000", "max_inflight_messages 100",
             "persistent_client_expiration 14d"]
    if tls:
        lines += [f"cafile {tls['ca']}", f"certfile {tls['cert']}", f"keyfile {tls['key']}",
                  "require_certificate true", "use_identity_as_username true",
                  "tls_version tlsv1.2"]
    if os.geteuid() == 0:  # else it drops to user mosquitto, who cannot read tmp_path
        lines.append("user root")
    lines.append("allow_anonymous true")
    conf.write_text("\n".join(lines) + "\n")
    # (as root, mosquitto drops to its own user: its log goes through our stdout)
    with log.open("wb") as out:
        proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=out,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("mosquitto did not start: " + (
                    log.read_text() if log.exists() else "")) from None
            time.sleep(0.05)
    scheme = "mqtts" if tls else "mqtt"
    return Mosquitto(f"{scheme}://127.0.0.1:{port}", port, proc, log)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    m = start_mosquitto(tmp_path)
    yield m
    m.stop()


def make_pki(d: Path, client_names: list[str]) -> dict[str, Path]:
    """A CA, a server certificate for 127.0.0.1 and one client certificate per name."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def key_pem(k: ec.EllipticCurvePrivateKey) -> bytes:
        return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption())

    def cert(name: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
             signer: ec.EllipticCurvePrivateKey, ca: bool, san: x509.GeneralName | None
             ) -> x509.Certificate:
        b = (x509.CertificateBuilder()
             .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
             .issuer_name(issuer).public_key(key.public_key())
             .serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(minutes=5))
             .not_valid_after(now + dt.timedelta(days=2))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san is not None:
            b = b.add_extension(x509.SubjectAlternativeName([san]), critical=False)
        return b.sign(signer, hashes.SHA256())

    d.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test fleet CA")])
    ca = cert("test fleet CA", ca_key, ca_name, ca_key, True, None)
    out = {"ca": d / "ca.pem"}
    out["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for name, san in [("server", x509.IPAddress(ipaddress.ip_address("127.0.0.1"))),
                      *[(n, None) for n in client_names]]:
        k = ec.generate_private_key(ec.SECP256R1())
        c = cert(name, k, ca_name, ca_key, False, san)
        stem = "" if name == "server" else f"{name}-"
        out[f"{stem}cert"] = d / f"{name}.crt"
        out[f"{stem}key"] = d / f"{name}.key"
        out[f"{stem}cert"].write_bytes(c.public_bytes(serialization.Encoding.PEM))
        out[f"{stem}key"].write_bytes(key_pem(k))
        out[f"{stem}key"].chmod(0o600)
    return out
