"""A fake Socket Mode endpoint: a WebSocket server on loopback that Slack's own Socket Mode client
connects to (through `apps.connections.open` on the fake Web API), receives envelopes from and
acknowledges them to — so `heard run` in Socket Mode is tested through its real transport.

Only what Slack's protocol needs: the RFC 6455 handshake, text frames, ping/pong and close.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time
import uuid
from typing import Any

from fake_slack import FakeSlack

Json = dict[str, Any]
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


class FakeSocketMode:
    """`with FakeSocketMode(fake_slack) as socket_mode:`; clients the fake Slack sends land here."""

    def __init__(self, fake: FakeSlack) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._fake = fake
        self._clients: list[socket.socket] = []
        self._acks: dict[str, Json] = {}
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._send_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"

    def __enter__(self) -> FakeSocketMode:
        self._fake.socket_mode_url = self.url
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._listener.close()
        for client in list(self._clients):
            client.close()

    def wait_connected(self, timeout: float = 15.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._clients), timeout):
                raise AssertionError("no Socket Mode client connected")

    def send(self, kind: str, payload: Json) -> str:
        """Deliver an envelope (`events_api`, `interactive`, `slash_commands`); its id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        self._frame(self._clients[-1], _TEXT, json.dumps(envelope).encode())
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> tuple[Json, float]:
        """The client's acknowledgement of an envelope, and when it came (epoch seconds)."""
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was not acknowledged")
            return self._acks[envelope_id], float(self._acks[envelope_id]["_at"])

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            self._handshake(client)
            with self._changed:
                self._clients.append(client)
                self._changed.notify_all()
            hello = {"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}
            self._frame(client, _TEXT, json.dumps(hello).encode())
            while not self._stopping.is_set():
                opcode, data = self._read_frame(client)
                if opcode == _PING:
                    self._frame(client, _PONG, data)
                elif opcode == _CLOSE:
                    return
                elif opcode == _TEXT:
                    message = json.loads(data)
                    if "envelope_id" in message:
                        with self._changed:
                            self._acks[message["envelope_id"]] = {**message, "_at": time.time()}
                            self._changed.notify_all()
        except (OSError, ConnectionError, ValueError):
            return
        finally:
            with self._changed:
                if client in self._clients:
                    self._clients.remove(client)
            client.close()

    @staticmethod
    def _handshake(client: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = client.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            request += chunk
        headers = dict(
            line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line
        )
        key = {k.lower(): v for k, v in headers.items()}["sec-websocket-key"].strip()
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        client.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )

    def _frame(self, client: socket.socket, opcode: int, data: bytes) -> None:
        """A server frame: unmasked, final."""
        size = len(data)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        with self._send_lock:
            client.sendall(header + data)

    @staticmethod
    def _read_frame(client: socket.socket) -> tuple[int, bytes]:
        """A client frame (always masked)."""

        def exactly(count: int) -> bytes:
            data = b""
            while len(data) < count:
                chunk = client.recv(count - len(data))
                if not chunk:
                    raise ConnectionError("closed")
                data += chunk
            return data

        first, second = exactly(2)
        size = second & 0x7F
        if size == 126:
            (size,) = struct.unpack("!H", exactly(2))
        elif size == 127:
            (size,) = struct.unpack("!Q", exactly(8))
        mask = exactly(4) if second & 0x80 else b"\0\0\0\0"
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(exactly(size)))
        return first & 0x0F, payload
