"""A throw-away PostgreSQL primary and its streaming replica, for the replica tests.

The cluster the suite runs on (127.0.0.1:5432) takes no replication connections,
so this makes its own: ``initdb`` in a temporary folder, started on a port of its
own, and a hot standby made from it with ``pg_basebackup -R`` on the next port.
Both log every statement with the client's ``application_name``, so a test can
tell which of the two served a request. ``initdb`` refuses to run as root: as
root the clusters belong to the ``postgres`` user.

The server binaries come from Debian's postgresql-15 package (``.ci/run``
installs it); without them the tests that need a pair are skipped.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("NEWSROOM_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
HAVE_SERVER = (PG_BIN / "initdb").exists() and (PG_BIN / "pg_basebackup").exists()
DATABASE = "newsroom_replica_test"

SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
fsync = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
wal_level = replica
max_wal_senders = 4
hot_standby = on
hot_standby_feedback = on
log_statement = 'all'
log_line_prefix = '%m [%p] app=%a '
log_min_messages = warning
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_pair():
    """Two ports: ``NEWSROOM_TEST_PG_PORT`` and the next (two further on for each
    pytest-xdist worker after the first), or two free ones."""
    base = os.environ.get("NEWSROOM_TEST_PG_PORT")
    if base:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
        port = int(base) + 2 * int(worker or 0)
        return port, port + 1
    return free_port(), free_port()


class Cluster:
    def __init__(self, folder, port, run_as):
        self.folder, self.port, self.run_as = folder, port, run_as
        self.data = folder / f"data-{port}"
        self.log = folder / f"server-{port}.log"

    def url(self, application_name):
        return (
            f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"
            f"?application_name={application_name}"
        )

    def connect(self, dbname=DATABASE):
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
            autocommit=True, application_name="tests", connect_timeout=5,
        )

    def configure(self):
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=self.port, sockets=self.folder))

    def start(self):
        self.run_as("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start")

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self.run_as("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)

    def statements(self, since=0):
        """The statements the app's connections sent since byte ``since`` of the log."""
        with self.log.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        return [line for line in text.splitlines() if "app=newsroom-app " in line]

    def log_size(self):
        return self.log.stat().st_size


class ReplicaPair:
    """The primary (``primary``) and its standby (``replica``), with DATABASE."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        primary_port, replica_port = port_pair()
        self.primary = Cluster(self.folder, primary_port, self.run)
        self.replica = Cluster(self.folder, replica_port, self.run)

    def run(self, program, *args, check=True):
        command = [str(PG_BIN / program), *map(str, args)]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, check=check, timeout=120, cwd=self.folder
        )

    def start(self):
        self.run(
            "initdb", "-D", self.primary.data, "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )
        self.primary.configure()
        self.primary.start()
        with self.primary.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary.port, "-U", "postgres",
            "-D", self.replica.data, "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )
        self.replica.configure()  # the copied settings name the primary's port: this wins
        self.replica.start()
        self.wait_for_streaming()
        return self

    def wait_for_streaming(self, deadline=60):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            with self.primary.connect() as connection:
                row = connection.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()
            if row[0]:
                return
            time.sleep(0.2)
        raise AssertionError("the replica never streamed from the primary")

    def wait_for_replay(self, deadline=60):
        """Until the replica has replayed everything the primary wrote so far."""
        with self.primary.connect() as connection:
            target = connection.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            with self.replica.connect() as connection:
                done = connection.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]
            if done:
                return
            time.sleep(0.1)
        raise AssertionError("the replica did not catch up")

    def stop(self):
        self.replica.stop()
        self.primary.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
