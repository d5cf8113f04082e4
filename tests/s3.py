"""A real S3-compatible server for the tests: moto in server mode, started as
its own process on a loopback port and talked to over HTTP like any S3
endpoint (the app through django-storages, the checks through boto3).

Ports come from 18300-18399: the first free one from 18300 + 20 × the xdist
worker's number (wrapping round), so two workers do not race for one port.
"""

import os
import socket
import subprocess
import sys
import time
import uuid

import boto3
from botocore.config import Config
from django.conf import settings
from django.test import override_settings

from newsroom.media import s3_storage

PORTS = range(18300, 18400)
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
PUBLIC_URL = "https://anh.example.vn/"


def _worker_number():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker[2:].isdigit() else 0


def _listening(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_ports(offset):
    """The range's ports where nothing listens, from this worker's own block
    of 20 onwards (wrapping round), so workers start far apart."""
    start = (20 * _worker_number() + offset) % len(PORTS)
    for step in range(len(PORTS)):
        port = PORTS[(start + step) % len(PORTS)]
        if not _listening(port):
            yield port


def closed_port():
    """A port of our range where nothing listens: a storage that is down."""
    return next(_free_ports(19))


class S3Server:
    """One moto server process; ``stop()`` is the storage going down."""

    def __init__(self, offset=0):
        self.offset = offset
        self.port = self.endpoint_url = self.process = None

    def start(self):
        """Start on the first free port; another one if that was taken meanwhile."""
        for attempt, port in enumerate(_free_ports(self.offset)):
            if self._start_on(port):
                return self
            if attempt == 4:
                break
        raise RuntimeError("moto_server did not start on any port of 18300-18399")

    def _start_on(self, port):
        self.port, self.endpoint_url = port, f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not _listening(port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                return False
            time.sleep(0.1)
        return self.process.poll() is None  # not someone else's server on the port

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def client(self):
        """A plain boto3 client, to look into the bucket without the app."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
            **KEYS,
        )

    def new_bucket(self):
        name = f"newsroom-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name


def media_settings(endpoint_url, bucket, **environ):
    """``override_settings`` for media in ``bucket``, built by the same code as
    production (``newsroom.media.s3_storage``) from the same variables."""
    storage, media_url = s3_storage(
        {
            "NEWSROOM_MEDIA_S3_BUCKET": bucket,
            "NEWSROOM_MEDIA_S3_ENDPOINT_URL": endpoint_url,
            "NEWSROOM_MEDIA_S3_REGION": "us-east-1",
            "NEWSROOM_MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "NEWSROOM_MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "NEWSROOM_MEDIA_S3_PUBLIC_URL": PUBLIC_URL,
            "NEWSROOM_MEDIA_S3_TIMEOUT": "2",
            **environ,
        }
    )
    storages = {**settings.STORAGES, "default": storage}
    return override_settings(STORAGES=storages, MEDIA_URL=media_url)


def keys(client, bucket, prefix=""):
    """Every object key in ``bucket`` under ``prefix``."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for page in pages for item in page.get("Contents", ())}
