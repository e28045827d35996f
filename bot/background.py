"""The background process: drafting, resuming unfinished work and promise reminders, beside the
web process that only verifies, stores and acks what Slack sends.

Why a second process rather than only a thread pool: under a burst, drafting (triage, the model
request, lint, Block Kit, the card post) keeps the interpreter busy and Slack's acks queued behind
it — measured at 50 events in flight, ack p99 was about 500 ms in one process. In its own process,
at a lower CPU priority, drafting can no longer delay an ack.

Only complaint ids cross the pipe. The database stays the source of truth: an id lost with a dying
process is still `pending` in the store, and the replacement process resumes it at start-up.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from bot.config import Settings

log = logging.getLogger(__name__)
# Drafting yields the CPU to acks and interactive requests: niceness 10 weighs about a tenth of the
# default. Measured at 50 events in flight: 0 roughly doubled ack times, 19 starved drafting.
NICENESS = 10
_CHECK_EVERY_SECONDS = 2.0
_RESTART_PAUSE_SECONDS = 1.0
_STOP = -1


@dataclass
class _Child:
    process: BaseProcess
    pipe: Connection


class BackgroundProcesses:
    """The parent's handle: `submit` never blocks the ack; ids go round the processes in turn,
    and a process that dies is replaced."""

    def __init__(self, settings: Settings, count: int) -> None:
        self._settings = settings
        self._count = count
        self._context = multiprocessing.get_context("spawn")  # no copied threads or sockets
        self._ids: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._children: list[_Child] = []
        self._feeder = threading.Thread(target=self._feed, name="heard-background", daemon=True)

    def start(self) -> None:
        self._children = [self._spawn() for _ in range(self._count)]
        self._feeder.start()

    def submit(self, complaint_id: int) -> None:
        self._ids.put(complaint_id)

    def close(self, timeout: float = 30.0) -> None:
        """Let the processes finish the drafts they hold (the rest stay pending in the store)."""
        self._ids.put(_STOP)
        self._feeder.join(timeout)
        for child in self._children:
            child.process.join(timeout)
            if child.process.is_alive():
                child.process.terminate()

    def _spawn(self) -> _Child:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=serve, args=(self._settings, receiver), name="heard-background", daemon=True
        )
        process.start()
        receiver.close()  # only the child reads; a dead child now makes our send fail
        log.info("background process %s started", process.pid)
        return _Child(process, sender)

    def _feed(self) -> None:
        """Hand ids to the processes in turn; replace any process that has died."""
        turn = 0
        while True:
            try:
                complaint_id = self._ids.get(timeout=_CHECK_EVERY_SECONDS)
            except queue.Empty:
                complaint_id = None
            if complaint_id == _STOP:
                for child in self._children:
                    child.pipe.close()  # end of input: the child drains and exits
                return
            if complaint_id is not None:
                turn = (turn + 1) % len(self._children)
                try:
                    self._children[turn].pipe.send(complaint_id)
                    continue
                except OSError:
                    pass  # the store still has it as pending; the new process resumes it
            self._replace_dead()

    def _replace_dead(self) -> None:
        for index, child in enumerate(self._children):
            if child.process.is_alive():
                continue
            log.error(
                "background process %s exited (code %s); starting another",
                child.process.pid,
                child.process.exitcode,
            )
            child.pipe.close()
            time.sleep(_RESTART_PAUSE_SECONDS)
            self._children[index] = self._spawn()


def serve(settings: Settings, ids: Connection) -> None:
    """The child's life: draft every id received, resume leftovers, send reminders; stop at EOF."""
    from bot.app import build_heard, start_background, web_client
    from bot.gateway import SlackGateway
    from bot.process import configure_logging, freeze_start_up_objects

    os.nice(NICENESS)
    configure_logging(settings)
    heard = build_heard(settings, SlackGateway.connect(web_client(settings)))
    start_background(heard)
    freeze_start_up_objects()
    try:
        while True:
            try:
                complaint_id = ids.recv()
            except EOFError:
                break  # the web process closed the pipe or died
            heard.pool.submit(heard.complaints.process, complaint_id)
    finally:
        heard.close()
