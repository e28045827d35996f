"""Benchmark the Slack path: signed events over HTTP to the running app, side by side with a floor.

    .venv/bin/python tests/bench/bench_slack.py [--events 1000] [--in-flight 50] [--latency 0.3]

Two processes are measured the same way, one after the other: `heard run` (store, triage, model
call, lint, card) and a bare Bolt app that only waits out the model latency and posts a fixed card
(tests/bench/floor_app.py). Both talk to the same fake Slack; Heard's model is a fake OpenAI server
answering after a fixed latency. Phase 1 sends all events with N in flight and times the acks;
phase 2 keeps N complaints in flight end to end (send → card) and reports the overhead: end to end
minus the model latency. Its N clients start one after another across one model latency, as
complaints arrive in a busy support channel; started together, they would stay bunched for the
first few rounds and measure the burst again and again. Phase 3 measures that burst once: N
complaints sent at the same moment, as in an outage, and when each card arrived. Twenty complaints
warm each app up first. CPU is reported per process (Heard's web and background processes, and
this process, which runs the senders and both fakes), per complaint.

BENCH_DATABASE_URL runs Heard on another database (e.g. a fresh Postgres database) instead of a
scratch SQLite file; BENCH_PROFILE=FILE records where Heard's processes spend the GIL (py-spy).
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in ("tests/slack", "tests/llm"):
    sys.path.insert(0, str(ROOT / folder))

from fake_openai import FakeOpenAI, answer  # noqa: E402
from fake_slack import CONNECT_CHANNEL, EXTERNAL_TEAM_ID, EXTERNAL_USER_ID, Channel, FakeSlack  # noqa: E402
from payloads import event_callback, message_event  # noqa: E402
from running_app import background_pids, free_port  # noqa: E402
from signing import SIGNING_SECRET, sign  # noqa: E402

TRIAGE = "C0TRIAGE"
MODEL_ANSWER = answer(
    [
        ("hear", "Hi, I'm Mina. I've read your message about the double charge on your order."),
        ("apologise", "I'm sorry this happened; it's on us."),
        ("resolve", "1. I'm checking the charge now.\n2. I'll update you within 4 hours."),
        ("thank", "Thank you for telling me.\nMina"),
    ]
)


def start(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start a server process; its log goes to a file (an unread pipe would fill and block it)."""
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stderr=sink)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"{command} exited: {log.read_text()[-2000:]}") from None
            time.sleep(0.1)
    raise SystemExit(f"{command} did not start listening on {port}")


def send(port: int, text: str) -> tuple[str, float, float]:
    """One signed message event; returns (message ts, send time, ack seconds)."""
    event = message_event(
        text, channel=CONNECT_CHANNEL, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID
    )
    body = json.dumps(event_callback(event, is_ext_shared_channel=True))
    headers = {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = time.time()
    start_clock = time.perf_counter()
    connection.request("POST", "/slack/events", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    acked = time.perf_counter() - start_clock
    connection.close()
    if response.status != 200:
        raise SystemExit(f"event not acked: HTTP {response.status}")
    return str(event["ts"]), sent, acked


class CardWatch:
    """Records when each card reaches the fake Slack and wakes the one client waiting for it.

    Polling the fake's call log from 50 threads costs O(n²) under the GIL and would be measured
    as the app's latency; one observer on chat.postMessage costs O(1) per card.
    """

    _MARKER = re.compile(r"/p(\d{16})|fixed card for p(\d{16})")

    def __init__(self, fake: FakeSlack) -> None:
        self._arrived: dict[str, float] = {}
        self._waiting: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        post = fake._methods["chat.postMessage"]  # the fake's own handler, observed

        def observed(params: dict[str, object]) -> dict[str, object]:
            answer = post(params)
            if params.get("channel") == TRIAGE:
                found = self._MARKER.search(json.dumps(params.get("blocks") or params.get("text")))
                if found:
                    self._arrive(found.group(1) or found.group(2))
            return answer

        fake.on("chat.postMessage", observed)

    def _arrive(self, marker: str) -> None:
        with self._lock:
            self._arrived[marker] = time.time()
            event = self._waiting.pop(marker, None)
        if event:
            event.set()

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._arrived)

    def wait(self, ts: str, timeout: float = 60.0) -> float:
        """When the card for the message `ts` reached Slack (epoch seconds)."""
        marker = ts.replace(".", "")
        with self._lock:
            if marker not in self._arrived:
                event = self._waiting.setdefault(marker, threading.Event())
            else:
                return self._arrived[marker]
        if not event.wait(timeout):
            raise SystemExit(f"no card for {ts} within {timeout} s")
        with self._lock:
            return self._arrived[marker]


def processes(pid: int) -> list[tuple[str, int]]:
    """The server process and Heard's background processes, by name."""
    return [("web process", pid)] + [("background process", c) for c in background_pids(pid)]


def cpu_seconds(pid: int) -> float:
    ticks = sum(int(x) for x in Path(f"/proc/{pid}/stat").read_text().split()[13:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


WARM_UP = 20


def warm_up(watch: CardWatch, port: int) -> None:
    """A few complaints end to end first: start-up (imports, models, the background processes)
    is neither timed nor counted in the CPU per complaint."""
    for n in range(WARM_UP):
        ts, _, _ = send(port, f"Warm-up complaint #{n}: you charged me twice, fix it!!")
        watch.wait(ts)


def measure(
    label: str, watch: CardWatch, port: int, events: int, in_flight: int, latency: float
) -> dict[str, float]:
    complaint = "You charged me twice for order #{n} and nobody answers, this is ridiculous!!"
    already = watch.count

    def overhead_ms(n: int) -> float:
        """Send complaint `n` and wait for its card: end to end minus the model latency."""
        ts, sent, _ = send(port, complaint.format(n=n))
        return (watch.wait(ts) - sent - latency) * 1000

    def round_trip(n: int) -> float:
        if n < in_flight:  # the clients start one after another across one model latency
            time.sleep(n * latency / in_flight)
        return overhead_ms(100_000 + n)

    burst_start = threading.Barrier(in_flight)

    def burst(n: int) -> float:
        burst_start.wait()
        return overhead_ms(200_000 + n)

    # This process's garbage collector would pause the senders and both fakes at once (full
    # collections of about 100 ms were seen once the fakes had recorded a few thousand calls),
    # and the pause would be measured as the app's latency. Off while timing, on again after.
    gc.disable()
    try:
        with ThreadPoolExecutor(in_flight) as senders:
            acks = list(senders.map(lambda n: send(port, complaint.format(n=n)), range(events)))
        drain_start = time.monotonic()
        while watch.count - already < events and time.monotonic() - drain_start < 120:
            time.sleep(0.05)
        cards = watch.count - already
        with ThreadPoolExecutor(in_flight) as clients:
            overhead = list(clients.map(round_trip, range(events)))
        with ThreadPoolExecutor(in_flight) as clients:
            burst_overhead = list(clients.map(burst, range(in_flight)))
    finally:
        gc.enable()
    ack_ms = [a * 1000 for _, _, a in acks]
    result = {
        "acked": len(acks),
        "cards": cards,
        "ack p50": statistics.median(ack_ms),
        "ack p99": percentile(ack_ms, 99),
        "overhead p50": statistics.median(overhead),
        "overhead p95": percentile(overhead, 95),
        "overhead p99": percentile(overhead, 99),
        "burst p50": statistics.median(burst_overhead),
        "burst max": max(burst_overhead),
    }
    print(f"  {label:<9}" + "".join(f"{v:>10,.1f}" for v in result.values()))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()
    print(
        f"{args.events} signed complaint events, {args.in_flight} in flight, "
        f"model latency {args.latency * 1000:.0f} ms (times in ms)"
    )
    print(
        "  "
        + " " * 9
        + "".join(
            f"{h:>10}"
            for h in (
                "acked",
                "cards",
                "ack p50",
                "ack p99",
                "ovh p50",
                "ovh p95",
                "ovh p99",
                "burst p50",
                "burst max",
            )
        )
    )
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for label in ("floor", "heard"):
            with (
                FakeSlack() as fake,
                FakeOpenAI(default=MODEL_ANSWER, latency=args.latency) as model,
            ):
                fake.add_channel(Channel(TRIAGE, "triage"))
                watch = CardWatch(fake)
                port = free_port()
                env = {
                    **os.environ,
                    "SLACK_BOT_TOKEN": "xoxb-bench",
                    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": fake.url,
                    "PORT": str(port),
                    "HEARD_SUPPORT_CHANNELS": CONNECT_CHANNEL,
                    "HEARD_TRIAGE_CHANNEL": TRIAGE,
                    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
                    or f"sqlite:///{scratch}/{label}.db",
                    "OPENAI_API_KEY": "bench",
                    "OPENAI_BASE_URL": model.base_url,
                    "HEARD_DRAFT_WORKERS": "64",
                    "HEARD_OPENAI_CONCURRENCY": "64",
                    "HEARD_LOG_LEVEL": "WARNING",
                    "FLOOR_LATENCY": str(args.latency),
                }
                env.pop("SLACK_APP_TOKEN", None)
                command = (
                    [sys.executable, "tests/bench/floor_app.py"]
                    if label == "floor"
                    else [sys.executable, "-m", "bot", "run"]
                )
                process = start(command, env, port, Path(scratch) / f"{label}.log")
                profiler = None
                if label == "heard" and os.environ.get("BENCH_PROFILE"):
                    profiler = subprocess.Popen(
                        [
                            "py-spy",
                            "record",
                            "--pid",
                            str(process.pid),
                            "--format",
                            "raw",
                            "-o",
                            os.environ["BENCH_PROFILE"],
                            "--subprocesses",
                            "--nonblocking",
                            "--gil",
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                try:
                    warm_up(watch, port)
                    servers = processes(process.pid)
                    server_cpu = {pid: cpu_seconds(pid) for _, pid in servers}
                    own_cpu = resource.getrusage(resource.RUSAGE_SELF)
                    results[label] = measure(
                        label, watch, port, args.events, args.in_flight, args.latency
                    )
                    after = resource.getrusage(resource.RUSAGE_SELF)
                    bench_cpu = (after.ru_utime + after.ru_stime) - (
                        own_cpu.ru_utime + own_cpu.ru_stime
                    )
                    complaints = 2 * args.events + args.in_flight
                    for name, pid in servers:
                        used = cpu_seconds(pid) - server_cpu[pid]
                        print(
                            f"  {label} {name} CPU: {used / complaints * 1000:.1f} ms per "
                            f"complaint, resident memory {resident_mb(pid):.0f} MB"
                        )
                    print(
                        f"  bench process (senders and fakes) CPU: "
                        f"{bench_cpu / complaints * 1000:.1f} ms per complaint"
                    )
                finally:
                    if profiler is not None:
                        profiler.send_signal(2)
                        profiler.wait(timeout=30)
                    process.terminate()
                    process.wait(timeout=10)
                if label == "heard":
                    sent = 2 * args.events + args.in_flight + WARM_UP
                    print(
                        f"  heard made {len(model.requests)} model requests for {sent} complaints"
                    )
    heard, floor = results["heard"], results["floor"]
    print(
        f"\nheard vs floor: ack p99 {heard['ack p99']:.1f} vs {floor['ack p99']:.1f} ms "
        "(target ≤ 100); "
        f"overhead p50 {heard['overhead p50']:.1f} vs {floor['overhead p50']:.1f} ms "
        "(target ≤ 30), "
        f"p95 {heard['overhead p95']:.1f} vs {floor['overhead p95']:.1f} ms (target ≤ 80); "
        f"a burst of {args.in_flight} at once: overhead p50 {heard['burst p50']:.1f} vs "
        f"{floor['burst p50']:.1f} ms, the last card {heard['burst max']:.1f} vs "
        f"{floor['burst max']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
