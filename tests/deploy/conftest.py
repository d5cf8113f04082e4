import os

import pytest

from .pg_replica import HAVE_SERVER, PG_BIN, ReplicaPair


@pytest.fixture(scope="session")
def pg_replica_pair():
    """A throw-away PostgreSQL primary and its streaming replica (tests/deploy/
    pg_replica.py), started once for the session and removed after. Skipped only
    when the server binaries are absent, and never in CI, which installs them."""
    if not HAVE_SERVER:
        reason = f"no PostgreSQL server binaries in {PG_BIN} (apt-get install postgresql-15)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    pair = ReplicaPair()
    try:
        yield pair.start()
    finally:
        pair.stop()
