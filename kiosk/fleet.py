"""The fleet channel: MQTT 5 between the kiosks of a province and its operators.

Per kiosk, under ``kiosk/{area}/{hall}/{id}/``:

- ``presence``: ``online`` (retained) while connected; the broker publishes the last will
  ``offline`` (retained) when the connection is lost without a goodbye (power cut, kill,
  network gone: after 1.5 × keepalive); a clean stop publishes ``offline`` itself.
- ``state``: the heartbeat payload (kiosk.heartbeat, retained): state and out-of-service
  reason, devices and supplies, queue figures, versions, clock, recent command results.
- ``cmd``: commands, QoS 1, to a persistent session (clean start off, session expiry
  ``SESSION_EXPIRY_S``): a command sent while the kiosk is off waits in the broker and is
  executed when it comes back. The request carries an MQTT 5 response topic and correlation
  data; the kiosk answers there once the command has run. A command is acknowledged
  (PUBACK) only after its result is recorded, so a kiosk killed mid-command gets it again,
  and ``CommandLog`` makes sure it runs once.

No personal data is ever published: the state is the masked heartbeat payload, results
carry masked details only. TLS with the kiosk's client certificate (``mqtts://``). The
HTTP heartbeat goes on beside it as the fallback.

Config (``[fleet]`` in kiosk.toml)::

    broker = "mqtts://fleet.example:8883"   # empty: no fleet channel
    keepalive_s = 30
    ca_file = "/etc/kiosk/fleet-ca.pem"     # else the system CAs
    client_cert = "/etc/kiosk/fleet.crt"    # default: [api] client_cert / client_key
    client_key = "/etc/kiosk/fleet.key"
    state_every_s = 60                      # how often the retained state is refreshed
"""

from __future__ import annotations

import json
import logging
import queue
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties as _UntypedProperties

from kiosk.heartbeat import Command, CommandResult, Heartbeat


def Properties(packet_type: int) -> Any:  # noqa: N802 - paho's constructor is untyped
    return _UntypedProperties(packet_type)  # type: ignore[no-untyped-call]

log = logging.getLogger("kiosk.fleet")

SESSION_EXPIRY_S = 7 * 24 * 3600  # a kiosk off for a week still gets its commands
ONLINE, OFFLINE = b"online", b"offline"
TOPIC_ROOT = "kiosk"


def topics(area: str, hall: str, kiosk_id: str) -> dict[str, str]:
    base = f"{TOPIC_ROOT}/{_segment(area)}/{_segment(hall)}/{_segment(kiosk_id)}"
    return {"presence": f"{base}/presence", "state": f"{base}/state", "cmd": f"{base}/cmd"}


def _segment(value: str) -> str:
    """A topic level: no wildcards or separators from config values."""
    bad = set("/+#\x00")
    if not value or any(c in bad for c in value):
        raise ValueError(f"{value!r} cannot be an MQTT topic level")
    return value


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    tls: bool

    @staticmethod
    def parse(url: str) -> Broker:
        u = urlsplit(url)
        if u.scheme not in ("mqtt", "mqtts") or not u.hostname:
            raise ValueError(f"broker URL must be mqtt://HOST[:PORT] or mqtts://…, not {url!r}")
        tls = u.scheme == "mqtts"
        return Broker(u.hostname, u.port or (8883 if tls else 1883), tls)


@dataclass(frozen=True)
class FleetSettings:
    broker: str
    keepalive_s: int = 30
    ca_file: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    state_every_s: float = 60.0


def fleet_settings(settings: Any) -> FleetSettings | None:
    """``[fleet]`` of kiosk.toml, or None when there is no broker configured."""
    from kiosk.config import ConfigError

    raw = settings.raw.get("fleet") if settings.raw else None
    if not isinstance(raw, Mapping) or not raw.get("broker"):
        return None
    file = settings.source
    broker = raw["broker"]
    try:
        Broker.parse(str(broker))
    except ValueError:
        raise ConfigError(file, "fleet.broker", broker, "mqtt://HOST[:PORT] or mqtts://…") \
            from None
    keepalive = raw.get("keepalive_s", 30)
    if not isinstance(keepalive, int) or isinstance(keepalive, bool) or not 5 <= keepalive <= 3600:
        raise ConfigError(file, "fleet.keepalive_s", keepalive, "whole seconds, 5 to 3600")
    every = raw.get("state_every_s", 60)
    if not isinstance(every, int | float) or isinstance(every, bool) or not 1 <= every <= 86400:
        raise ConfigError(file, "fleet.state_every_s", every, "seconds, 1 to 86400")

    def path(key: str, default: Path | None) -> Path | None:
        value = raw.get(key)
        if value in (None, ""):
            return default
        p = Path(str(value))
        return p if p.is_absolute() else (Path(file).parent / p)

    return FleetSettings(str(broker), keepalive, path("ca_file", None),
                         path("client_cert", settings.api.client_cert),
                         path("client_key", settings.api.client_key), float(every))


def _tls(client: mqtt.Client, ca_file: Path | None, cert: Path | None, key: Path | None) -> None:
    ctx = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if cert is not None:
        ctx.load_cert_chain(str(cert), str(key) if key else None)
    client.tls_set_context(ctx)


def new_client(client_id: str, broker: Broker, tls: Mapping[str, Path | None] | None = None,
               *, manual_ack: bool = False) -> mqtt.Client:
    """A paho MQTT 5 client; TLS (with a client certificate when given) for mqtts://."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv5, manual_ack=manual_ack)
    if broker.tls:
        t = tls or {}
        _tls(client, t.get("ca_file"), t.get("cert"), t.get("key"))
    return client


class FleetClient:
    """A kiosk on the fleet bus. ``start()`` connects in the background (and reconnects,
    with paho's back-off, for as long as it runs); ``stop()`` says goodbye."""

    def __init__(self, heartbeat: Heartbeat, device_id: str, fleet: FleetSettings) -> None:
        self.heartbeat = heartbeat
        self.device_id = device_id
        self.fleet = fleet
        p = heartbeat.parts
        self.topics = topics(p.area_code, p.hall_code, device_id)
        self.broker = Broker.parse(fleet.broker)
        self.client = new_client(f"kiosk-{device_id}", self.broker,
                                 {"ca_file": fleet.ca_file, "cert": fleet.client_cert,
                                  "key": fleet.client_key}, manual_ack=True)
        self.client.will_set(self.topics["presence"], OFFLINE, qos=1, retain=True)
        self.client.reconnect_delay_set(1, 60)
        self.client.suppress_exceptions = True  # a bug in a callback must not end the channel
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect
        self.connected = threading.Event()
        self._work: queue.Queue[Any] = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._run_commands, name="fleet-commands",
                                        daemon=True)
        self._states = threading.Thread(target=self._publish_states, name="fleet-state",
                                        daemon=True)

    # -- life --

    def start(self) -> FleetClient:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_S
        self.client.connect_async(self.broker.host, self.broker.port,
                                  keepalive=self.fleet.keepalive_s, clean_start=False,
                                  properties=props)
        self.client.loop_start()
        self._worker.start()
        self._states.start()
        return self

    def stop(self, *, goodbye: bool = True) -> None:
        self._stop.set()
        self._work.put(None)
        if goodbye and self.connected.is_set():
            info = self.client.publish(self.topics["presence"], OFFLINE, qos=1, retain=True)
            try:
                info.wait_for_publish(3)
            except (RuntimeError, ValueError):
                pass
        self.client.disconnect()
        self.client.loop_stop()
        self._worker.join(5)
        self._states.join(5)

    # -- callbacks (paho's network thread) --

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any,
                    properties: Any) -> None:
        if reason.is_failure:
            log.warning("fleet broker refused the connection: %s", reason)
            return
        log.info("fleet: connected to %s:%d (session present: %s)", self.broker.host,
                 self.broker.port, flags.session_present)
        client.subscribe(self.topics["cmd"], qos=1)
        client.publish(self.topics["presence"], ONLINE, qos=1, retain=True)
        self.publish_state()
        self.connected.set()

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any,
                       properties: Any) -> None:
        self.connected.clear()
        if not self._stop.is_set():
            log.warning("fleet: connection lost (%s); reconnecting", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self._work.put(msg)  # commands run on their own thread: UPLOAD_LOGS takes a while

    # -- commands --

    def _run_commands(self) -> None:
        while True:
            msg = self._work.get()
            if msg is None:
                return
            try:
                self._execute(msg)
            except Exception:  # never let one bad message stop the channel
                log.exception("fleet: command message not handled")

    def _execute(self, msg: mqtt.MQTTMessage) -> None:
        try:
            raw = json.loads(msg.payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raw = None
        command = Command.from_json(raw)
        if command is None:
            result = CommandResult("", "", "REJECTED", "not a command", time.time())
        else:
            result = self.heartbeat.runner.run(command)
        props = getattr(msg, "properties", None)
        response_topic = getattr(props, "ResponseTopic", None)
        if response_topic:
            out = Properties(PacketTypes.PUBLISH)
            correlation = getattr(props, "CorrelationData", None)
            if correlation:
                out.CorrelationData = correlation
            body = {**result.to_json(), "kiosk": self.device_id}
            self.client.publish(response_topic, json.dumps(body, ensure_ascii=False), qos=1,
                                properties=out)
        # Acknowledged only now: a kiosk killed before this gets the command again.
        self.client.ack(msg.mid, msg.qos)
        self.publish_state()

    # -- state --

    def state_payload(self) -> dict[str, Any]:
        body = self.heartbeat.fleet_state()
        body["kioskId"] = self.device_id
        body["areaCode"] = self.heartbeat.parts.area_code
        recent = self.heartbeat.runner.log.recent(10)
        if recent:
            body["recentCommands"] = [r.to_json() for r in recent]
        return body

    def publish_state(self) -> None:
        try:
            payload = json.dumps(self.state_payload(), ensure_ascii=False)
        except Exception:
            log.exception("fleet: state not built")
            return
        self.client.publish(self.topics["state"], payload, qos=1, retain=True)

    def _publish_states(self) -> None:
        while not self._stop.wait(self.fleet.state_every_s):
            if self.connected.is_set():
                self.publish_state()


# -- the operator's side --------------------------------------------------------------------


@dataclass
class KioskView:
    kiosk_id: str
    area: str
    hall: str
    online: bool | None = None
    state: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        s = self.state or {}
        queue_figures = s.get("queue") or {}
        out: dict[str, Any] = {"kiosk": self.kiosk_id, "area": self.area, "hall": self.hall,
                               "online": self.online, "state": s.get("state"),
                               "reasons": self.problems()}
        if s.get("outOfService"):
            out["outOfService"] = s["outOfService"]
        if queue_figures:
            out["queue"] = queue_figures
        if s.get("appVersion"):
            out["appVersion"] = s["appVersion"]
        return out

    def problems(self) -> list[str]:
        s = self.state or {}
        found = []
        if self.online is False:
            found.append("offline")
        if s.get("state") == "OUT_OF_SERVICE":
            found.append("out-of-service")
        for role, d in (s.get("devices") or {}).items():
            supplies = d.get("supplies") or {}
            if supplies.get("paper") in ("low", "out", "empty"):
                found.append("paper-low")
            if d.get("fault"):
                found.append(f"device-fault:{role}")
        q = s.get("queue") or {}
        if q.get("pendingApplications", 0) >= BACKLOG_PENDING or \
                q.get("oldestPendingAgeSec", 0) >= BACKLOG_AGE_S or q.get("deadLetter", 0):
            found.append("queue-backlog")
        return found


BACKLOG_PENDING = 20
BACKLOG_AGE_S = 3600
FILTERS = ("offline", "out-of-service", "paper-low", "queue-backlog", "device-fault")


def fleet_snapshot(broker: Broker, *, settle_s: float = 0.5, max_s: float = 10.0,
                   kiosk_id: str = "+", tls: Mapping[str, Path | None] | None = None
                   ) -> list[KioskView]:
    """Every kiosk the broker has a retained presence or state for: subscribe, collect the
    retained messages until none came for ``settle_s``."""
    client = new_client(f"fleet-status-{uuid.uuid4().hex[:12]}", broker, tls)
    views: dict[str, KioskView] = {}
    last = [time.monotonic()]
    done = threading.Event()
    lock = threading.Lock()

    def on_connect(c: mqtt.Client, u: Any, f: Any, reason: Any, p: Any) -> None:
        if reason.is_failure:
            done.set()
            return
        c.subscribe([(f"{TOPIC_ROOT}/+/+/{kiosk_id}/presence", 1),
                     (f"{TOPIC_ROOT}/+/+/{kiosk_id}/state", 1)])

    def on_message(c: mqtt.Client, u: Any, msg: mqtt.MQTTMessage) -> None:
        parts = msg.topic.split("/")
        if len(parts) != 5:
            return
        _, area, hall, kid, kind = parts
        with lock:
            last[0] = time.monotonic()
            view = views.setdefault(kid, KioskView(kid, area, hall))
            if kind == "presence":
                view.online = msg.payload == ONLINE
            else:
                try:
                    view.state = json.loads(msg.payload.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    view.state = None

    client.on_connect = on_connect
    client.on_message = on_message
    client.connect(broker.host, broker.port, keepalive=30)
    client.loop_start()
    try:
        started = time.monotonic()
        while time.monotonic() - started < max_s and not done.is_set():
            time.sleep(0.05)
            with lock:
                if time.monotonic() - last[0] >= settle_s and \
                        time.monotonic() - started >= settle_s:
                    break
    finally:
        client.disconnect()
        client.loop_stop()
    return sorted(views.values(), key=lambda v: (v.area, v.hall, v.kiosk_id))


class Operator:
    """Sends commands and collects their responses on its own response topic."""

    def __init__(self, broker: Broker, *, client_id: str | None = None,
                 tls: Mapping[str, Path | None] | None = None) -> None:
        self.broker = broker
        self.client_id = client_id or f"fleet-operator-{uuid.uuid4().hex[:12]}"
        self.reply_topic = f"fleet/replies/{self.client_id}"
        self.client = new_client(self.client_id, broker, tls)
        self._waiting: dict[bytes, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.on_response: Callable[[bytes, dict[str, Any]], None] | None = None
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    def __enter__(self) -> Operator:
        self.client.connect(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        if not self._ready.wait(10):
            self.close()
            raise ConnectionError(f"no answer from the broker {self.broker.host}:{self.broker.port}")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, c: mqtt.Client, u: Any, f: Any, reason: Any, p: Any) -> None:
        if not reason.is_failure:
            c.subscribe(self.reply_topic, qos=1)

    def _on_subscribe(self, c: mqtt.Client, u: Any, mid: int, codes: Any, p: Any) -> None:
        self._ready.set()

    def _on_message(self, c: mqtt.Client, u: Any, msg: mqtt.MQTTMessage) -> None:
        correlation = getattr(getattr(msg, "properties", None), "CorrelationData", None)
        try:
            body = json.loads(msg.payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return
        if correlation is None:
            return
        with self._lock:
            entry = self._waiting.get(bytes(correlation))
        if entry is not None:
            entry[1].append(body)
            entry[0].set()
        if self.on_response is not None:
            self.on_response(bytes(correlation), body)

    def send(self, cmd_topic: str, kind: str, args: Mapping[str, str] | None = None,
             command_id: str | None = None) -> bytes:
        """Publishes a command (QoS 1); returns its correlation data."""
        cid = command_id or "cmd_" + uuid.uuid4().hex[:12]
        correlation = cid.encode()
        with self._lock:
            self._waiting[correlation] = (threading.Event(), [])
        props = Properties(PacketTypes.PUBLISH)
        props.ResponseTopic = self.reply_topic
        props.CorrelationData = correlation
        body: dict[str, Any] = {"id": cid, "type": kind}
        if args:
            body["args"] = dict(args)
        info = self.client.publish(cmd_topic, json.dumps(body, ensure_ascii=False), qos=1,
                                   properties=props)
        info.wait_for_publish(10)
        return correlation

    def wait(self, correlation: bytes, timeout_s: float) -> dict[str, Any] | None:
        with self._lock:
            entry = self._waiting.get(correlation)
        if entry is None or not entry[0].wait(timeout_s):
            return None
        return entry[1][0]
