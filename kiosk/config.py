"""``kiosk.toml`` → frozen, typed, validated settings.

A wrong or missing value fails at start with one message naming the file, the key, the value
and what is allowed (``ConfigError``); callers print it, never a traceback.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "kiosk.toml"
ENV_CONFIG = "KIOSK_CONFIG"

LANGUAGES = ("zh_CN", "en")


class ConfigError(Exception):
    """A config value is wrong or missing. ``str()`` is the one-line message for people."""

    def __init__(self, file: Path | str, key: str, value: object, allowed: str) -> None:
        self.file, self.key, self.value, self.allowed = str(file), key, value, allowed
        shown = "(missing)" if value is _MISSING else repr(value)
        super().__init__(f"{self.file}: [{key}] = {shown} is not valid; expected {allowed}")


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING: Any = _Missing()


@dataclass(frozen=True)
class KioskSection:
    device_id: str
    hall_code: str
    area_code: str
    hall_name: str
    language: str
    demo: bool
    data_dir: Path
    log_dir: Path
    # Largest image file (width × height) "kiosk qr decode" and "kiosk scan" decode; larger
    # ones are refused by their header before decoding (PNG bombs).
    max_image_pixels: int = 50_000_000


@dataclass(frozen=True)
class ApiSection:
    # "embedded" starts the reference sandbox in-process on a free loopback port (demo mode).
    base_url: str
    access_key: str
    secret_file: Path
    connect_timeout_s: float
    read_timeout_s: float
    # Device heartbeat period (s): also how soon a link that came back wakes the offline queue.
    heartbeat_s: float
    ca_bundle: Path | None
    client_cert: Path | None
    client_key: Path | None

    @property
    def embedded(self) -> bool:
        return self.base_url == "embedded"

    def secret(self) -> bytes:
        """The HMAC secret; read when needed so it never sits in the settings object."""
        return self.secret_file.read_bytes().strip()


@dataclass(frozen=True)
class DeviceSection:
    """One configured device. ``options`` are validated by the device package's factory.
    ``name`` is the section name (the role in a current file; the technician's offline
    switch and the audit log know the device by it), ``role`` the role it fills."""

    name: str
    device_class: str
    driver: str  # "simulated", "none", or a driver name the device package registers
    options: Mapping[str, Any] = field(default_factory=dict)
    role: str = ""

    @property
    def configured(self) -> bool:
        return self.driver != "none"


@dataclass(frozen=True)
class QueueSection:
    path: Path
    files_dir: Path
    key_file: Path
    max_bytes: int
    min_free_bytes: int  # refuse new offline applications below this much free disk


@dataclass(frozen=True)
class UiSection:
    idle_timeout_s: int
    idle_warning_s: int
    elderly_timeout_factor: float
    elderly_mode_default: bool
    fullscreen: bool
    screen_width_mm: float  # physical width, to size touch targets at >= 15 mm
    voice_prompts: bool


@dataclass(frozen=True)
class RolesSection:
    # scrypt hashes "scrypt$n$r$p$salt_b64$hash_b64"; empty means the role cannot log in.
    staff_pin_hash: str
    technician_pin_hash: str
    max_attempts: int
    lockout_s: int


@dataclass(frozen=True)
class SandboxSection:
    # Matters the reference sandbox serves (embedded and ``kiosk sandbox``): 0 = the 14 seeded
    # ones; N = N matters, the 14 and generated copies (a county catalog, for benchmarks).
    seed_matters: int = 0


FACE_CHECK_LEVELS = ("off", "optional", "required")


@dataclass(frozen=True)
class IdentitySection:
    # 人证比对 after the card read (docs/identity.md): "off", "optional" (the citizen may skip
    # unless the matter requires it) or "required". A matter's own level can only raise it.
    face_check: str = "off"
    face_attempts: int = 3  # failed comparisons before the citizen is sent to staff (帮办)
    liveness_timeout_s: float = 8.0  # the liveness challenge (blink / turn) must be met within
    # who compares: "platform" (POST /identity/face-verifications) or a site's vendor SDK as
    # "package.module:factory" (kiosk.face.matcher)
    matcher: str = "platform"


@dataclass(frozen=True)
class Settings:
    source: Path
    kiosk: KioskSection
    api: ApiSection
    devices: Mapping[str, DeviceSection]
    queue: QueueSection
    ui: UiSection
    roles: RolesSection
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)
    sandbox: SandboxSection = field(default_factory=SandboxSection)
    identity: IdentitySection = field(default_factory=IdentitySection)

    def device(self, name: str) -> DeviceSection | None:
        return self.devices.get(name)

    def device_for(self, role: str) -> DeviceSection | None:
        """The device configured for ``role`` (kiosk.device_roles), or None."""
        return next((d for d in self.devices.values() if d.role == role), None)


class _Reader:
    """Typed accessors that raise ``ConfigError`` naming file, key, value and what is allowed."""

    def __init__(self, file: Path, data: Mapping[str, Any]) -> None:
        self.file = file
        self.data = data
        self.base = file.parent

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, Mapping):
            raise ConfigError(self.file, name, value, "a table")
        return value

    def get(self, sec: Mapping[str, Any], path: str, key: str, default: Any = _MISSING) -> Any:
        value = sec.get(key, default)
        if value is _MISSING:
            raise ConfigError(self.file, f"{path}.{key}", _MISSING, "a value")
        return value

    def string(self, sec: Mapping[str, Any], path: str, key: str, default: Any = _MISSING,
               choices: tuple[str, ...] | None = None, nonempty: bool = False) -> str:
        value = self.get(sec, path, key, default)
        if not isinstance(value, str):
            raise ConfigError(self.file, f"{path}.{key}", value, "a string")
        if choices is not None and value not in choices:
            raise ConfigError(self.file, f"{path}.{key}", value, "one of " + ", ".join(choices))
        if nonempty and not value.strip():
            raise ConfigError(self.file, f"{path}.{key}", value, "a non-empty string")
        return value

    def boolean(self, sec: Mapping[str, Any], path: str, key: str, default: Any = _MISSING) -> bool:
        value = self.get(sec, path, key, default)
        if not isinstance(value, bool):
            raise ConfigError(self.file, f"{path}.{key}", value, "true or false")
        return value

    def number(self, sec: Mapping[str, Any], path: str, key: str, default: Any = _MISSING,
               low: float | None = None, high: float | None = None, integer: bool = False) -> Any:
        value = self.get(sec, path, key, default)
        ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type or not math.isfinite(value):
            # nan and inf are TOML floats; every comparison with nan is False
            kind = "an integer" if integer else "a finite number"
            raise ConfigError(self.file, f"{path}.{key}", value, _range_text(kind, low, high))
        if (low is not None and value < low) or (high is not None and value > high):
            kind = "an integer" if integer else "a number"
            raise ConfigError(self.file, f"{path}.{key}", value, _range_text(kind, low, high))
        return value

    def path(self, sec: Mapping[str, Any], path: str, key: str, default: Any = _MISSING,
             relative_to: Path | None = None) -> Path:
        value = self.string(sec, path, key, default, nonempty=True)
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else (relative_to or self.base) / p

    def optional_path(self, sec: Mapping[str, Any], path: str, key: str) -> Path | None:
        value = sec.get(key)
        if value in (None, ""):
            return None
        return self.path(sec, path, key)


def _range_text(kind: str, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind} >= {low}"
    return kind


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config`` wins, then ``$KIOSK_CONFIG``, then the repo's ``kiosk.toml``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_CONFIG)
    return Path(env) if env else DEFAULT_CONFIG


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    file = config_path(path).resolve()
    try:
        if file.is_dir():
            raise ConfigError(file, "file", "(a directory)", "a kiosk.toml file")
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, "file", _MISSING, "an existing kiosk.toml (see README)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(file, "file", f"(byte {exc.start} is not UTF-8)",
                          "a UTF-8 text file") from None
    except OSError as exc:
        raise ConfigError(file, "file", exc.strerror or str(exc), "a readable file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "file", str(exc), "valid TOML") from None
    return parse_settings(data, file)


def parse_settings(data: Mapping[str, Any], file: Path) -> Settings:
    r = _Reader(file, data)

    k = r.section("kiosk")
    data_dir = r.path(k, "kiosk", "data_dir", "var")
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(file, "kiosk.data_dir", str(data_dir), "a directory (this is a file)")
    kiosk = KioskSection(
        device_id=r.string(k, "kiosk", "device_id", nonempty=True),
        hall_code=r.string(k, "kiosk", "hall_code", nonempty=True),
        area_code=_area_code(r, k),
        hall_name=r.string(k, "kiosk", "hall_name", "政务服务中心"),
        language=r.string(k, "kiosk", "language", "zh_CN", choices=LANGUAGES),
        demo=r.boolean(k, "kiosk", "demo", False),
        data_dir=data_dir,
        log_dir=r.path(k, "kiosk", "log_dir", "log", relative_to=data_dir),
        max_image_pixels=r.number(k, "kiosk", "max_image_pixels", 50_000_000, low=1_000_000,
                                  high=400_000_000, integer=True),
    )

    a = r.section("api")
    base_url = r.string(a, "api", "base_url", nonempty=True)
    if base_url != "embedded" and not base_url.startswith(("https://", "http://")):
        raise ConfigError(file, "api.base_url", base_url, '"embedded" or an http(s):// URL')
    if base_url == "embedded" and not kiosk.demo:
        # The in-process sandbox keeps applications unencrypted and delivers them nowhere:
        # a production kiosk (demo = false) must name its platform.
        raise ConfigError(file, "api.base_url", base_url,
                          'the platform\'s https:// URL ("embedded" only with [kiosk] demo = true)')
    api = ApiSection(
        base_url=base_url.rstrip("/"),
        access_key=r.string(a, "api", "access_key", nonempty=True),
        secret_file=r.path(a, "api", "secret_file"),
        connect_timeout_s=r.number(a, "api", "connect_timeout_s", 3.05, low=0.1, high=60),
        read_timeout_s=r.number(a, "api", "read_timeout_s", 15, low=0.5, high=600),
        heartbeat_s=r.number(a, "api", "heartbeat_s", 60, low=0.1, high=3600),
        ca_bundle=r.optional_path(a, "api", "ca_bundle"),
        client_cert=r.optional_path(a, "api", "client_cert"),
        client_key=r.optional_path(a, "api", "client_key"),
    )

    devices = _devices(r, r.section("devices"))

    q = r.section("queue")
    queue = QueueSection(
        path=r.path(q, "queue", "path", "queue/outbox.db", relative_to=data_dir),
        files_dir=r.path(q, "queue", "files_dir", "queue/files", relative_to=data_dir),
        key_file=r.path(q, "queue", "key_file", "queue/outbox.key", relative_to=data_dir),
        max_bytes=r.number(q, "queue", "max_bytes", 2 * 1024**3, low=1024**2, integer=True),
        min_free_bytes=r.number(q, "queue", "min_free_bytes", 512 * 1024**2, low=0, integer=True),
    )

    u = r.section("ui")
    ui = UiSection(
        idle_timeout_s=r.number(u, "ui", "idle_timeout_s", 90, low=10, high=3600, integer=True),
        idle_warning_s=r.number(u, "ui", "idle_warning_s", 20, low=3, high=600, integer=True),
        elderly_timeout_factor=r.number(u, "ui", "elderly_timeout_factor", 2.0, low=1, high=10),
        elderly_mode_default=r.boolean(u, "ui", "elderly_mode_default", False),
        fullscreen=r.boolean(u, "ui", "fullscreen", False),
        screen_width_mm=r.number(u, "ui", "screen_width_mm", 476.0, low=100, high=3000),
        voice_prompts=r.boolean(u, "ui", "voice_prompts", True),
    )
    if ui.idle_warning_s >= ui.idle_timeout_s:
        raise ConfigError(file, "ui.idle_warning_s", ui.idle_warning_s,
                          f"fewer seconds than ui.idle_timeout_s ({ui.idle_timeout_s})")

    ro = r.section("roles")
    roles = RolesSection(
        staff_pin_hash=_pin_hash(r, ro, "staff_pin_hash"),
        technician_pin_hash=_pin_hash(r, ro, "technician_pin_hash"),
        max_attempts=r.number(ro, "roles", "max_attempts", 5, low=1, high=100, integer=True),
        lockout_s=r.number(ro, "roles", "lockout_s", 300, low=30, high=86400, integer=True),
    )
    sb = r.section("sandbox")
    seeded = r.number(sb, "sandbox", "seed_matters", 0, low=0, high=20000, integer=True)
    if 0 < seeded < 14:
        raise ConfigError(file, "sandbox.seed_matters", seeded,
                          "0 (the 14 seeded matters) or from 14 to 20000")
    ids = r.section("identity")
    identity = IdentitySection(
        face_check=r.string(ids, "identity", "face_check", "off", choices=FACE_CHECK_LEVELS),
        face_attempts=r.number(ids, "identity", "face_attempts", 3, low=1, high=10, integer=True),
        liveness_timeout_s=r.number(ids, "identity", "liveness_timeout_s", 8.0, low=2, high=60),
        matcher=r.string(ids, "identity", "matcher", "platform", nonempty=True),
    )
    if identity.matcher != "platform" and not re.fullmatch(
            r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", identity.matcher):
        raise ConfigError(file, "identity.matcher", identity.matcher,
                          '"platform" or a plug-in factory as "package.module:factory"')
    return Settings(source=file, kiosk=kiosk, api=api, devices=devices, queue=queue, ui=ui,
                    roles=roles, raw=data, sandbox=SandboxSection(seed_matters=seeded),
                    identity=identity)


def _devices(r: _Reader, dsec: Mapping[str, Any]) -> dict[str, DeviceSection]:
    """``[devices.ROLE]`` sections, each with a ``class`` (default: the role's) and a
    ``driver``. An old file names sections after classes (``[devices.printer]``) or anything
    with a ``class``: each such section fills its class's default role, and two of them for the
    same role are an error that says how to rename them (docs/devices.md, "Migrating")."""
    from kiosk.device_classes import device_class, device_classes
    from kiosk.device_roles import device_role, device_roles

    classes = tuple(c.name for c in device_classes())
    devices: dict[str, DeviceSection] = {}
    filled: dict[str, str] = {}  # role → the section that fills it
    for name, opts in dsec.items():
        path = f"devices.{name}"
        if not isinstance(opts, Mapping):
            raise ConfigError(r.file, path, opts, "a table with a driver")
        role = device_role(name)
        if role is not None:
            dclass = r.string(opts, path, "class", role.classes[0], choices=role.classes)
            role_name = role.name
        else:  # an old file: the section is named after its class, or has one
            if name not in classes and "class" not in opts:
                raise ConfigError(r.file, path, _MISSING, "a section named after a role (one of "
                                  + ", ".join(x.name for x in device_roles()) + ")")
            dclass = r.string(opts, path, "class", name if name in classes else _MISSING,
                              choices=classes)
            spec = device_class(dclass)
            assert spec is not None
            role_name = spec.default_role
        if role_name in filled:
            raise ConfigError(r.file, f"{path}.class", dclass, (
                f"one device per role, but [devices.{filled[role_name]}] fills the role "
                f"{role_name} too; name each section after its role, e.g. "
                f"[devices.{role_name}] and [devices.<other role>] (docs/devices.md)"))
        filled[role_name] = name
        driver = r.string(opts, path, "driver", nonempty=True)
        rest = {key: v for key, v in opts.items() if key not in ("class", "driver")}
        devices[name] = DeviceSection(name=name, device_class=dclass, driver=driver,
                                      options=rest, role=role_name)
    return devices


def _area_code(r: _Reader, sec: Mapping[str, Any]) -> str:
    value = r.string(sec, "kiosk", "area_code", nonempty=True)
    # GB/T 2260 administrative division code: six digits.
    if not (len(value) == 6 and value.isdigit()):
        raise ConfigError(r.file, "kiosk.area_code", value, "a six-digit GB/T 2260 division code")
    return value


def _pin_hash(r: _Reader, sec: Mapping[str, Any], key: str) -> str:
    value = r.string(sec, "roles", key, "")
    if value and not (value.startswith("scrypt$") and value.count("$") == 5):
        raise ConfigError(r.file, f"roles.{key}", "(hidden)",
                          'an scrypt hash from "kiosk pin hash", or "" to disable the role')
    return value


def shown_settings(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain JSON values, for ``kiosk config show`` and the
    diagnostic bundle: PIN hashes as "(set)"/"(disabled)" only; the API secret is never in
    the settings (only its file's path)."""
    import dataclasses

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                    if f.name != "raw"}
        if isinstance(value, Mapping):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, Path):
            return str(value)
        return value

    data: dict[str, Any] = plain(settings)
    # Demo mode on the embedded sandbox gives a role without a hash its demo PIN
    # (kiosk.operator_services.DEMO_PINS); anywhere else such a role is disabled.
    unset = "(demo PIN)" if settings.kiosk.demo and settings.api.embedded else "(disabled)"
    for key in ("staff_pin_hash", "technician_pin_hash"):
        data["roles"][key] = "(set)" if data["roles"][key] else unset
    return data
