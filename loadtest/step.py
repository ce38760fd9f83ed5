"""The step test (`make loadtest`): more and more simultaneous users on the production stack,
each step for a while, until one fails; reports the most users at which the 95th percentile
stays under LOADTEST_P95_MS (500) with no error.

    loadtest/step.py --host https://127.0.0.1:8443 --accounts FILE [--steps 25,50,75,100,150,200] [--seconds 60]

On one 2-core machine Locust itself takes part of the CPU the site would have: the limit it
finds is a floor for a server of its own.
"""

from __future__ import annotations

import argparse
import re
import subprocess  # nosec B404 # runs manage.py, with a fixed argument list
import sys

from run import ROOT, locust

VERDICT = re.compile(r"^(PASSED|FAILED): (\d+) requests, (\d+) failures, p95 (\d+) ms", re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--steps", default="25,50,75,100,150,200")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    best, rows = 0, []
    for run, users in enumerate(int(step) for step in args.steps.split(",")):
        if run:  # the officers' projects were approved and funded by the last step: new ones
            prepare = [sys.executable, str(ROOT / "manage.py"), "loadtest_prepare", "--test-site"]
            subprocess.run([*prepare, "--output", args.accounts], check=True, capture_output=True)  # nosec B603
        result = locust(args.host, args.accounts, users, args.seconds, spawn_rate=max(5, users / 10), run=run + 1)
        found = VERDICT.search(result.stdout)
        if not found:
            print(result.stdout, result.stderr[-3000:], sep="\n")
            return 2
        verdict, requests, failures, p95 = found.group(1), *map(int, found.groups()[1:])
        rows.append(f"{users:>6} users  {requests:>7} requests  {failures:>5} failures  p95 {p95:>6} ms  {verdict}")
        print(rows[-1], flush=True)
        if verdict != "PASSED":
            print(result.stdout)
            break
        best = users
    print("\n".join(["", "Step test", *rows]))
    print(f"The most users at which p95 stays under the limit with no error: {best}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
