"""`make cluster-check`: the portal scaled out on real parts, and what happens when they fail.

Two gunicorn nodes (DEBUG=0) behind HAProxy, sharing a PostgreSQL server, a Redis and one
media folder, with two task workers (`manage.py task_worker`). Every part is started here, on free ports
under var/cluster/ (a PostgreSQL cluster of its own from initdb, a redis-server of its
own), so stopping them touches nothing else on the machine. Under load (wrk through
HAProxy, and a writer signing up one new account every half second, each sign-up a
database write and a queued mail):

1. one node is killed (SIGKILL): HAProxy's health check on /healthz?ready=1 takes it out;
   failed requests <= 0.1 %; no acknowledged write lost;
2. Redis is stopped for 30 s: no 5xx, sign-ins work, throttles fail open (core/cache.py);
3. PostgreSQL is restarted: liveness stays 200, readiness answers 503 while it is down and
   200 again within 10 s of its return, without restarting gunicorn;
4. every queued task runs exactly once across the two workers (one activation mail per
   acknowledged sign-up).

It prints each figure and exits non-zero on a miss. Needs haproxy, wrk, redis-server and
PostgreSQL's server binaries (Debian: haproxy wrk redis-server postgresql)."""

from __future__ import annotations

import email
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "cluster"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PGBIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1] if glob.glob("/usr/lib/postgresql/*/bin") else ""
NEEDS = int(os.environ.get("CLUSTER_NEEDS", 500))
PASSWORD = "cluster-check pass phrase 7"
# PostgreSQL refuses to run as root: as root, its server runs as the postgres user.
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

RESULTS: list[tuple[str, str, bool]] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORTS = {name: free_port() for name in ("pg", "redis", "node1", "node2", "haproxy")}


def check(name: str, figure: str, ok: bool) -> None:
    RESULTS.append((name, figure, ok))
    print(f"  {'ok  ' if ok else 'MISS'} {name}: {figure}", flush=True)


def run(args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def psql(sql: str) -> str:
    return run(
        [f"{PGBIN}/psql", "-h", "127.0.0.1", "-p", str(PORTS["pg"]), "-U", "postgres", "-d", "portal", "-Atqc", sql],
        capture_output=True, text=True,
    ).stdout.strip()


def env() -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "cluster-check-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PORTS['pg']}/portal",
        "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "CACHE_KEY_PREFIX": "cluster",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(WORK / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(WORK / "mail"),
        "SITE_URL": f"http://127.0.0.1:{PORTS['haproxy']}",
        "TASKS_IMMEDIATE": "0",
        "POST_THROTTLE_RATE": "0",
        "API_THROTTLE_ANON": "1000000/min",
        "LOG_LEVEL": "INFO",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
    }


# --- the parts -------------------------------------------------------------------------
class Parts:
    def __init__(self):
        self.nodes: dict[str, subprocess.Popen] = {}
        self.workers: list[subprocess.Popen] = []
        self.redis: subprocess.Popen | None = None
        self.haproxy: subprocess.Popen | None = None

    def start_postgres(self) -> None:
        data = WORK / "pg"
        run([*AS_POSTGRES, f"{PGBIN}/initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-sync"], stdout=subprocess.DEVNULL)
        self.pg_ctl("start")
        run([f"{PGBIN}/createdb", "-h", "127.0.0.1", "-p", str(PORTS["pg"]), "-U", "postgres", "portal"])

    def pg_ctl(self, action: str, *extra: str) -> None:
        run([*AS_POSTGRES, f"{PGBIN}/pg_ctl", "-D", str(WORK / "pg"), "-l", str(WORK / "pg.log"), "-w", "-m", "fast",
             "-o", f"-p {PORTS['pg']} -k {WORK} -c listen_addresses=127.0.0.1", action, *extra],
            stdout=subprocess.DEVNULL)

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(PORTS["redis"]), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
            stdout=open(WORK / "redis.log", "ab"), stderr=subprocess.STDOUT,
        )
        wait_for(lambda: port_open(PORTS["redis"]), 10, "redis-server")

    def stop_redis(self) -> None:
        self.redis.terminate()
        self.redis.wait(10)

    def start_node(self, name: str) -> None:
        self.nodes[name] = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", "portal.wsgi"], cwd=ROOT,
            env={**env(), "BIND": f"127.0.0.1:{PORTS[name]}", "PROMETHEUS_MULTIPROC_DIR": str(WORK / f"metrics-{name}")},
            stdout=open(WORK / f"{name}.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: get(PORTS[name], "/healthz?ready=1")[0] == 200, 60, name)

    def kill_node(self, name: str) -> None:
        os.killpg(self.nodes[name].pid, signal.SIGKILL)  # the master and its workers, at once
        self.nodes[name].wait(10)

    def start_workers(self) -> None:
        for worker_id in ("worker-1", "worker-2"):
            self.workers.append(subprocess.Popen(
                [PY, "manage.py", "task_worker", "--worker-id", worker_id, "--interval", "0.2", "--no-startup-delay"],
                cwd=ROOT, env=env(), stdout=open(WORK / f"{worker_id}.log", "ab"), stderr=subprocess.STDOUT,
                start_new_session=True,
            ))

    def start_haproxy(self) -> None:
        config = WORK / "haproxy.cfg"
        config.write_text(f"""global
    maxconn 4000

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
    retry-on conn-failure empty-response junk-response 502
    option http-buffer-request

frontend web
    bind 127.0.0.1:{PORTS['haproxy']}
    unique-id-format %{{+X}}o%ci%cp%fp%Ts%rt%pid
    http-request set-header X-Request-ID %[unique-id]
    http-request set-header X-Forwarded-Proto https
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz?ready=1 ver HTTP/1.1 hdr Host 127.0.0.1
    # A busy node answers its check late, not never: 3 s before a check counts as failed,
    # 3 failures in a row before it is taken out. A killed node refuses connections at
    # once, and the requests it would have had are retried on the other (redispatch).
    timeout check 3s
    default-server inter 1s fall 3 rise 2
    server node1 127.0.0.1:{PORTS['node1']} check
    server node2 127.0.0.1:{PORTS['node2']} check
""")
        run(["haproxy", "-c", "-f", str(config)], stdout=subprocess.DEVNULL)
        self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)],
                                        stdout=open(WORK / "haproxy.log", "ab"), stderr=subprocess.STDOUT)
        wait_for(lambda: get(PORTS["haproxy"], "/healthz")[0] == 200, 20, "haproxy")

    def stop_all(self) -> None:
        for process in [*self.nodes.values(), *self.workers]:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in [self.haproxy, self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.nodes.values(), *self.workers, self.haproxy, self.redis]:
            if process is not None:
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if (WORK / "pg" / "postmaster.pid").exists():
            subprocess.run([*AS_POSTGRES, f"{PGBIN}/pg_ctl", "-D", str(WORK / "pg"), "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {seconds} s (logs in {WORK})")


# --- a small HTTP client (cookies by hand: the site marks them Secure behind TLS) ---------
def request(port: int, method: str, path: str, *, body: dict | None = None, cookies: dict | None = None,
            referer: str = "", timeout: float = 10) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = referer or f"https://127.0.0.1:{port}{path}"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read()
        set_cookies = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                set_cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, set_cookies, content
    finally:
        connection.close()


def get(port: int, path: str) -> tuple[int, bytes]:
    status, _cookies, content = request(port, "GET", path, timeout=3)
    return status, content


def post_form(port: int, path: str, fields: dict) -> tuple[int, bytes]:
    """GET the form for its CSRF cookie, then POST it, as a browser does."""
    status, cookies, content = request(port, "GET", path)
    if status != 200 or "csrftoken" not in cookies:
        return status, content
    status, _, content = request(port, "POST", path, body={**fields, "csrfmiddlewaretoken": cookies["csrftoken"]},
                                 cookies=cookies)
    return status, content


class Writer(threading.Thread):
    """Signs up a new account every half second through HAProxy; remembers each one the
    site acknowledged."""

    def __init__(self, prefix: str):
        super().__init__(daemon=True)
        self.prefix, self.stop, self.acknowledged, self.failed = prefix, threading.Event(), [], []

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            username = f"{self.prefix}{n}"
            address = f"{username}@example.com"
            try:
                status, content = post_form(PORTS["haproxy"], "/account/signup/", {
                    "username": username, "email": address, "password1": PASSWORD, "password2": PASSWORD,
                })
            except OSError as exc:
                status, content = exc.__class__.__name__, b""
            # Acknowledged: the "check your email" page naming the address (a refused form
            # is a 200 too, without it).
            done = status == 200 and address.encode() in content and b"password1" not in content
            (self.acknowledged if done else self.failed).append((username, status))
            self.stop.wait(0.5)


def wrk(seconds: int, connections: int = 16, name: str = "wrk") -> dict:
    """wrk through HAProxy on the catalogue, the home page, statistics and the API. A
    request counts as failed when it is answered 4xx/5xx or not within 10 s."""
    script = WORK / "urls.lua"
    script.write_text("""paths = {"/needs/", "/", "/stats/", "/en/needs/", "/api/needs/", "/needs/?sort=title", "/exhibitions/"}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
""")
    out = run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script),
               f"http://127.0.0.1:{PORTS['haproxy']}"], capture_output=True, text=True).stdout
    (WORK / f"{name}.txt").write_text(out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket_errors = sum(map(int, m.groups())) if (
        m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)) else 0
    return {"total": total, "failed": non_2xx + socket_errors, "non_2xx": non_2xx, "socket_errors": socket_errors,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "raw": out}


def in_background(function, *args):
    result = {}
    thread = threading.Thread(target=lambda: result.update(function(*args)), daemon=True)
    thread.start()
    return thread, result


def five_xx(log_names) -> int:
    """Server errors the nodes answered, from their request lines (core/observe.py)."""
    count = 0
    for name in log_names:
        for line in open(WORK / f"{name}.log", encoding="utf-8", errors="replace"):
            if line.startswith("{") and '"status": 5' in line:
                count += 1
    return count


# --- the scenarios ---------------------------------------------------------------------
def scenario_kill_node(parts: Parts, writer: Writer) -> None:
    print("== 1. a node is killed under load", flush=True)
    before_ack, before_failed = len(writer.acknowledged), len(writer.failed)
    thread, load = in_background(wrk, 20, 16, "wrk-kill-node")
    time.sleep(6)
    killed_at = time.monotonic()
    parts.kill_node("node1")
    thread.join()
    share = load["failed"] / max(load["total"], 1)
    check("failed requests while a node died", f"{load['failed']} of {load['total']} ({share:.3%}; "
          f"{load['rps']:.0f} req/s)", share <= 0.001)
    failed_writes = writer.failed[before_failed:]
    check("sign-ups refused while a node died", f"{len(failed_writes)} of "
          f"{len(writer.acknowledged) - before_ack + len(failed_writes)} {failed_writes[:3]}", not failed_writes)
    parts.start_node("node1")
    time.sleep(2)  # HAProxy: two good checks, 500 ms apart
    print(f"  node1 restarted {time.monotonic() - killed_at:.0f} s after it was killed", flush=True)


def scenario_redis_down(parts: Parts) -> None:
    print("== 2. Redis is stopped for 30 s under load", flush=True)
    thread, load = in_background(wrk, 40, 16, "wrk-redis-down")
    time.sleep(5)
    parts.stop_redis()
    stopped = time.monotonic()
    logins = []
    while time.monotonic() - stopped < 30:
        logins.append(post_form(PORTS["haproxy"], "/account/login/",
                                {"username": "cluster-user", "password": PASSWORD})[0])
        time.sleep(3)
    parts.start_redis()
    thread.join()
    check("failed requests while Redis was down", f"{load['failed']} of {load['total']} "
          f"({load['rps']:.0f} req/s); 5xx logged by the nodes: {five_xx(['node1', 'node2'])}", load["failed"] == 0)
    check("sign-ins while Redis was down", f"{logins.count(302)} of {len(logins)} redirected (signed in)",
          logins and all(status == 302 for status in logins))
    status, content = get(PORTS["node1"], "/healthz?ready=1")
    check("readiness with Redis back", f"{status} {content.decode()}", status == 200 and b'"cache": "ok"' in content)


def scenario_postgres_restart(parts: Parts) -> None:
    print("== 3. PostgreSQL is restarted under load", flush=True)
    samples = []
    stop = threading.Event()

    def probe():
        while not stop.is_set():
            now = time.monotonic()
            try:
                live = get(PORTS["node2"], "/healthz")[0]
            except OSError as exc:
                live = exc.__class__.__name__
            try:
                ready = get(PORTS["node2"], "/healthz?ready=1")[0]
            except OSError as exc:
                ready = exc.__class__.__name__
            samples.append((now, live, ready))
            time.sleep(0.1)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    thread, load = in_background(wrk, 20, 16, "wrk-postgres-restart")
    time.sleep(4)
    parts.pg_ctl("stop")
    down_at = time.monotonic()
    time.sleep(3)
    parts.pg_ctl("start")
    up_at = time.monotonic()
    thread.join()
    time.sleep(1)
    stop.set()
    prober.join()
    lives = [live for _, live, _ in samples]
    check("liveness while PostgreSQL restarted", f"{lives.count(200)} of {len(lives)} probes 200",
          all(live == 200 for live in lives))
    unready = [ready for at, _, ready in samples if down_at + 0.2 < at < up_at - 0.2]
    check("readiness while PostgreSQL was down", f"{unready.count(503)} of {len(unready)} probes 503",
          unready and all(ready == 503 for ready in unready))
    back = next((at for at, _, ready in samples if at > up_at and ready == 200), None)
    check("readiness back after PostgreSQL returned", f"{back - up_at:.1f} s" if back else "never",
          back is not None and back - up_at <= 10)
    print(f"  (through HAProxy meanwhile: {load['failed']} of {load['total']} requests failed; "
          "anonymous pages may be served from the cache)", flush=True)


def scenario_tasks_once(writer: Writer) -> None:
    print("== 4. every queued task runs exactly once across the two workers", flush=True)
    wait_for(lambda: psql("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                          "WHERE status IN ('READY', 'RUNNING')") == "0", 120, "the task queue to drain")
    rows = psql("SELECT status, count(*), count(DISTINCT worker_ids) FROM django_tasks_database_dbtaskresult "
                "GROUP BY status ORDER BY status")
    print(f"  tasks by status (status|count|distinct worker lists): {rows.replace(chr(10), '; ')}")
    workers = psql("SELECT count(DISTINCT w) FROM django_tasks_database_dbtaskresult, "
                   "json_array_elements_text(worker_ids::json) AS w")
    mails: dict[str, int] = {}
    for path in (WORK / "mail").glob("*.log"):
        for chunk in path.read_text(encoding="utf-8").split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                to = email.message_from_string(chunk.strip()).get("To", "")
                mails[to] = mails.get(to, 0) + 1
    acknowledged = [username for username, _ in writer.acknowledged]
    stored = set(psql("SELECT username FROM auth_user WHERE username LIKE 'w%'").split())
    lost = [username for username in acknowledged if username not in stored]
    check("acknowledged sign-ups stored", f"{len(acknowledged) - len(lost)} of {len(acknowledged)}", not lost)
    counts = [mails.get(f"{username}@example.com", 0) for username in acknowledged]
    check("activation mails per acknowledged sign-up", f"{counts.count(1)} exactly once, "
          f"{sum(1 for c in counts if c > 1)} twice or more, {counts.count(0)} never", counts and set(counts) == {1})
    failed = psql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status <> 'SUCCESSFUL'")
    check("tasks that did not succeed", failed, failed == "0")
    check("workers that ran tasks", workers, workers == "2")


def main() -> int:
    for tool in ("haproxy", "wrk", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (Debian package {tool})")
    if not PGBIN:
        raise SystemExit("PostgreSQL's server binaries are not installed (Debian package postgresql)")
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "mail").mkdir(parents=True)
    os.chmod(WORK, 0o777)
    parts = Parts()
    started = time.monotonic()
    try:
        print(f"== parts on 127.0.0.1: {json.dumps(PORTS)}", flush=True)
        parts.start_postgres()
        parts.start_redis()
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--needs", str(NEEDS), "--no-photos"],
                        ["collectstatic", "--noinput", "-v0"]):
            run([PY, "manage.py", *command], cwd=ROOT, env=env(), stdout=subprocess.DEVNULL)
        run([PY, "manage.py", "shell", "-c",
             "from django.contrib.auth import get_user_model; "
             f"get_user_model().objects.create_user('cluster-user', 'cluster@example.com', {PASSWORD!r})"],
            cwd=ROOT, env=env())
        parts.start_node("node1")
        parts.start_node("node2")
        parts.start_workers()
        parts.start_haproxy()
        print(f"  set up in {time.monotonic() - started:.0f} s ({NEEDS} needs)", flush=True)
        writer = Writer("w")
        writer.start()
        scenario_kill_node(parts, writer)
        scenario_redis_down(parts)
        scenario_postgres_restart(parts)
        writer.stop.set()
        writer.join()
        scenario_tasks_once(writer)
    finally:
        parts.stop_all()
    misses = [name for name, _, ok in RESULTS if not ok]
    print(f"== {len(RESULTS) - len(misses)} of {len(RESULTS)} checks met in {time.monotonic() - started:.0f} s"
          + (f"; missed: {', '.join(misses)}" if misses else ""))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
