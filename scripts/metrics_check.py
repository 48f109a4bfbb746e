"""After `make api-contract`'s run, on the same live gunicorn (several worker processes):
/metrics adds up every worker's figures, and the log is JSON lines with request ids.

    python scripts/metrics_check.py BASE_URL METRICS_TOKEN GUNICORN_LOG PROMETHEUS_MULTIPROC_DIR

Exits non-zero on a miss; prints what it measured."""

from __future__ import annotations

import json
import pathlib
import re
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

CALLS = 40


def scrape(base: str, token: str) -> dict[tuple, float]:
    request = urllib.request.Request(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    counts = {}
    for family in text_string_to_metric_families(text):
        if family.name == "portal_http_requests":
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    key = (sample.labels["view"], sample.labels["status"])
                    counts[key] = counts.get(key, 0) + sample.value
    return counts


def main(base: str, token: str, log_path: str, metrics_dir: str) -> int:
    before = scrape(base, token)
    for _ in range(CALLS):
        urllib.request.urlopen(f"{base}/healthz", timeout=10).read()
    after = scrape(base, token)
    delta = after.get(("healthz", "2xx"), 0) - before.get(("healthz", "2xx"), 0)
    errors = sum(value for (view, status), value in after.items() if status == "5xx")
    lines = [line for line in open(log_path, encoding="utf-8") if line.startswith("{")]
    entries = [json.loads(line) for line in lines]
    requests = [entry for entry in entries if entry.get("logger") == "portal.requests"]
    with_id = [entry for entry in requests if len(entry.get("request_id", "")) >= 8]
    print(f"metrics: {delta:.0f} of {CALLS} /healthz requests counted across the workers; "
          f"{after and sum(after.values()):.0f} requests in all; {errors:.0f} answered 5xx")
    pids = {re.sub(r"\D", "", path.stem) for path in pathlib.Path(metrics_dir).glob("counter_*.db")}
    print(f"processes that wrote figures: {len(pids)}")
    print(f"logs: {len(entries)} JSON lines, {len(requests)} request lines, {len(with_id)} with a request id")
    ok = delta == CALLS and errors == 0 and len(pids) >= 2 and requests and len(with_id) == len(requests)
    if not ok:
        print("metrics or logs check FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
