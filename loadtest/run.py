"""The bounded load test CI runs (deploy/production-check.sh): Locust, headless, on 127.0.0.1.

    loadtest/run.py --host https://127.0.0.1:8443 --accounts FILE [--users 50] [--seconds 60]

Exits non-zero on any failed request or a 95th percentile over LOADTEST_P95_MS (500), after
printing the figures by request (loadtest/locustfile.py).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess  # nosec B404 # runs locust, with a fixed argument list
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
SIGN_IN_SECONDS = 5  # the last user's sign-in (and second factor), under the load of the others
ROOT = HERE.parent


def locust(
    host: str, accounts: str, users: int, seconds: int, spawn_rate: float, run: int = 0
) -> subprocess.CompletedProcess:
    if urlsplit(host).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The load test runs against this machine's loopback only.")
    # The figures count the ``seconds`` after all have signed in (a few seconds after the last starts).
    arrival = math.ceil(users / spawn_rate) + SIGN_IN_SECONDS
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
        "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{arrival + seconds}s", "--host", host,
        "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))  # loadtest.pages
    env = {**os.environ, "LOADTEST_ACCOUNTS": accounts, "LOADTEST_RUN": str(run), "PYTHONPATH": path}
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # nosec B603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--accounts", required=True, help="The file loadtest_prepare wrote.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=2, help="Users started a second (2: all 50 in 25 s).")
    args = parser.parse_args()
    result = locust(args.host, args.accounts, args.users, args.seconds, args.spawn_rate)
    # Locust's own summary tables go to stderr; ours (the verdict) to stdout.
    print(result.stdout, end="")
    if result.returncode not in (0, 1):
        print(result.stderr[-4000:], file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
