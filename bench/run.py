"""`make bench`: the portal's speed, measured the way a deployment would see it.

For 1,000 and 100,000 needs in PostgreSQL it starts gunicorn with the production settings
(DEBUG=0, Redis cache) on 127.0.0.1 and measures, over 200+ distinct URLs per page type:
- cold: the cache flushed, every URL requested once in turn (p50/p99 latency);
- warm: wrk, bounded in time, cycling through the same URLs (requests/s, p50/p99).
It prints throughput as a ratio to /healthz and the 100k/1k latency ratio, checks the
targets of issue 7, and writes bench/results.json and bench/RESULTS.md.

`--soak SECONDS --connections N` runs the reliability load test instead: a mix of every
URL set at N connections for SECONDS against the largest data set; it fails on any error.

Traffic goes only to 127.0.0.1; every loop is bounded in count and time."""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://postgres@127.0.0.1:5432"
PORT = 8900
REDIS_URL = "redis://127.0.0.1:6379/5"
TARGETS = {
    "warm_catalogue_vs_healthz": 0.5,
    "cold_search_p50_ms": 30.0,
    "latency_ratio_100k_1k": 1.3,
}


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, env=env, check=True, text=True, **kwargs)


def psql(sql: str) -> str:
    return run(["psql", f"{PG}/postgres", "-Atq", "-c", sql], capture_output=True).stdout.strip()


def env_for(size: int) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"{PG}/portal_bench_{size}",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"bench{size}",
        MEDIA_ROOT=str(ROOT / "bench" / "tmp" / f"media-{size}"),
        STATIC_ROOT=str(ROOT / "bench" / "tmp" / "static"),
        GUNICORN_ACCESS_LOG="/dev/null",
        TASKS_IMMEDIATE="1",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(size: int) -> dict:
    """A seeded database per size, kept between runs (re-seeded only when missing)."""
    env = env_for(size)
    name = f"portal_bench_{size}"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    seeded = False
    if exists:
        try:
            count = run(["psql", env["DATABASE_URL"], "-Atq", "-c", "SELECT count(*) FROM needs_need"],
                        capture_output=True).stdout.strip()
            seeded = count == str(size)
        except subprocess.CalledProcessError:
            seeded = False
    if not seeded:
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
    started = time.monotonic()
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT)
    if not seeded:
        run([PY, "manage.py", "seed_demo", "--needs", str(size)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"  seeded {size:,} needs in {time.monotonic() - started:.0f} s")
    run(["psql", env["DATABASE_URL"], "-q", "-c", "VACUUM ANALYZE"], capture_output=True)
    return env


class Server:
    def __init__(self, env):
        self.env = env
        self.proc = None

    def __enter__(self):
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=self.env, cwd=ROOT)
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}",
             "portal.wsgi"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(ROOT / "bench" / "tmp" / "gunicorn.log", "a"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not become healthy in 60 s; see bench/tmp/gunicorn.log")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def get(path: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def flush_cache():
    run(["redis-cli", "-n", "5", "FLUSHDB"], capture_output=True)


def cold(paths: list[str]) -> dict:
    """Each URL once, cache flushed: what the first visitor after a change waits."""
    flush_cache()
    latencies, errors = [], 0
    for path in paths:
        status, ms = get(path)
        errors += status >= 400
        latencies.append(ms)
    return {"requests": len(paths), "p50_ms": round(percentile(latencies, 50), 2),
            "p99_ms": round(percentile(latencies, 99), 2), "errors": errors}


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    number, unit = match.groups()
    return float(number) * _UNITS[unit]


def wrk(paths: list[str], seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(paths))
    env = dict(os.environ, BENCH_URLS=fh.name)
    out = run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-s", str(ROOT / "bench" / "urls.lua"), f"http://127.0.0.1:{PORT}"],
              env=env, capture_output=True).stdout
    os.unlink(fh.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sock = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"rps": round(rps, 1), "p50_ms": round(p50, 2), "p99_ms": round(p99, 2), "requests": total,
            "errors": non2xx + sock}


def url_sets(env) -> dict:
    out = run([PY, "manage.py", "shell", "-c", open(ROOT / "bench" / "url_list.py").read()],
              env=env, cwd=ROOT, capture_output=True).stdout
    return json.loads(out[out.index("{"):])


def bench(sizes, seconds, connections) -> dict:
    results = {}
    for size in sizes:
        print(f"== {size:,} needs")
        env = prepare(size)
        urls = url_sets(env)
        with Server(env):
            # One untimed pass so every worker has loaded code and templates.
            for path in urls["healthz"] + urls["catalogue"][:5] + urls["need"][:5] + urls["stats"]:
                get(path)
            page_results = {}
            for page, paths in urls.items():
                c = cold(paths)
                w = wrk(paths, seconds, connections)
                page_results[page] = {"distinct_urls": len(paths), "cold": c, "warm": w}
                print(f"  {page:10} {len(paths):4} urls  cold p50 {c['p50_ms']:7.2f} ms p99 {c['p99_ms']:7.2f} ms"
                      f"  | warm {w['rps']:8.1f} req/s p50 {w['p50_ms']:7.2f} ms p99 {w['p99_ms']:7.2f} ms"
                      f"  errors {c['errors'] + w['errors']}")
        results[size] = page_results
    return results


def report(results: dict, seconds: int, connections: int) -> bool:
    small, large = min(results), max(results)
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.platform()}; gunicorn {int(os.cpu_count()) * 2 + 1} workers x 4 threads, "
        f"PostgreSQL 127.0.0.1, Redis cache; wrk 2 threads, {connections} connections, {seconds} s per page type.",
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| needs | page | distinct URLs | cold p50 ms | cold p99 ms | warm req/s | x /healthz | warm p50 ms | warm p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    ok = True
    for size, pages in results.items():
        base = pages["healthz"]["warm"]["rps"]
        for page, r in pages.items():
            ratio = r["warm"]["rps"] / base
            r["throughput_vs_healthz"] = round(ratio, 3)
            errors = r["cold"]["errors"] + r["warm"]["errors"]
            ok &= errors == 0
            lines.append(f"| {size:,} | {page} | {r['distinct_urls']} | {r['cold']['p50_ms']} | {r['cold']['p99_ms']} | "
                         f"{r['warm']['rps']} | {ratio:.2f} | {r['warm']['p50_ms']} | {r['warm']['p99_ms']} | {errors} |")
    lines += ["", f"100k/1k latency ratio (warm p50 and cold p50, {large:,} vs {small:,} needs):", ""]
    ratios = {}
    for page in results[large]:
        warm = results[large][page]["warm"]["p50_ms"] / max(results[small][page]["warm"]["p50_ms"], 0.001)
        cold_ = results[large][page]["cold"]["p50_ms"] / max(results[small][page]["cold"]["p50_ms"], 0.001)
        ratios[page] = {"warm_p50": round(warm, 2), "cold_p50": round(cold_, 2)}
        lines.append(f"- {page}: warm {warm:.2f}, cold {cold_:.2f}")
    checks = {
        "warm catalogue throughput >= 50% of /healthz":
            results[large]["catalogue"]["throughput_vs_healthz"] >= TARGETS["warm_catalogue_vs_healthz"],
        "cold filtered-search p50 <= 30 ms": results[large]["search"]["cold"]["p50_ms"] <= TARGETS["cold_search_p50_ms"],
        "100k/1k warm latency ratio <= 1.3 (catalogue, search, need, stats)": all(
            ratios[p]["warm_p50"] <= TARGETS["latency_ratio_100k_1k"] for p in ("catalogue", "search", "need", "stats")),
        "no errors": ok,
    }
    lines += ["", "Targets at the largest size:", ""]
    for name, passed in checks.items():
        lines.append(f"- {'PASS' if passed else 'FAIL'}: {name}")
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    (ROOT / "bench" / "results.json").write_text(json.dumps({"results": results, "ratios": ratios, "checks": checks}, indent=2))
    return all(checks.values())


def soak(size: int, seconds: int, connections: int) -> bool:
    env = prepare(size)
    urls = url_sets(env)
    mixed = [u for page in ("catalogue", "search", "need", "stats", "healthz") for u in urls[page]]
    with Server(env):
        flush_cache()
        result = wrk(mixed, seconds, connections)
    print(f"soak {seconds} s at {connections} connections on {size:,} needs, {len(mixed)} distinct URLs: "
          f"{result['requests']} requests, {result['rps']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
          f"errors {result['errors']}")
    (ROOT / "bench" / "soak.json").write_text(json.dumps({"size": size, "seconds": seconds, "connections": connections,
                                                          "distinct_urls": len(mixed), **result}, indent=2))
    return result["errors"] == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page type (bounded)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--soak", type=int, metavar="SECONDS", help="run the load test instead (e.g. 300)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    (ROOT / "bench" / "tmp").mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.soak:
        sys.exit(0 if soak(max(sizes), min(args.soak, 900), args.connections) else 1)
    results = bench(sizes, min(args.seconds, 60), args.connections)
    sys.exit(0 if report(results, args.seconds, args.connections) else 1)


if __name__ == "__main__":
    main()
