"""Engine processes a test starts and stops itself: its own redis-server (never
the shared one on 6379), on a loopback port of the range the tests may use."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Ports the tests' own servers listen on ("first-last"); anything free in it.
PORTS = os.environ.get("NEWSROOM_TEST_PORTS", "18400-18499")


def free_port(exclude=()):
    """A loopback port of PORTS that nothing listens on now (nor in ``exclude``:
    ports picked for servers not started yet)."""
    first, last = (int(part) for part in PORTS.split("-"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    ports = list(range(first, last + 1))
    offset = worker * 17 % len(ports)  # xdist workers start apart
    for port in ports[offset:] + ports[:offset]:
        if port in exclude:
            continue
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def closed_port():
    """A port nothing listens on: a Redis that is down."""
    return free_port()


def need_redis_server():
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but redis-server is missing at {REDIS_SERVER}")
        pytest.skip(f"no redis-server at {REDIS_SERVER} (apt-get install redis-server)")


class RedisServer:
    """A redis-server of our own. Its data survives ``kill`` and ``start``
    (append-only file, written at every command) as a real server's would, so
    a test can tell a page kept from before an outage from a new one."""

    def __init__(self):
        need_redis_server()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-test-redis-"))
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.folder), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--protected-mode", "no",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"redis-server exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"redis-server did not answer on port {self.port}")

    def kill(self):
        """Down without warning (SIGKILL), as a crashed server."""
        self.process.kill()
        self.process.wait(30)

    def freeze(self):
        """Hung (SIGSTOP): connections are accepted and never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
