"""Throughput of public pages against a bare Flask app under the same gunicorn settings.

Run: `make bench` (or .venv/bin/python bench/public_pages.py). Prints requests/second per page,
the ratio to the bare app (the target is at least 0.5), SQL statements per request and whether a
session cookie was set. Uses wrk when installed, otherwise a Python load generator (slower, so
the absolute figures are lower; the ratio still compares like with like).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def gunicorn(app_spec: str, port: int, workers: int, env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning",
         app_spec],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def load_wrk(url: str, seconds: int, connections: int) -> float:
    result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
                            capture_output=True, text=True, check=True)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def load_python(url: str, seconds: int, connections: int) -> float:
    deadline = time.monotonic() + seconds

    def worker() -> int:
        count = 0
        while time.monotonic() < deadline:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
                assert response.status == 200, response.status
            count += 1
        return count

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        total = sum(pool.map(lambda _: worker(), range(connections)))
    return total / (time.monotonic() - started)


def probe(app, path: str) -> tuple[int, bool]:
    """SQL statements for one request of `path`, and whether it set a cookie."""
    import sqlalchemy as sa

    from portal.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        response = app.test_client().get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(statements), "Set-Cookie" in response.headers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paths", nargs="*", default=None,
                        help="public paths to measure (default: the known public pages)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = {**os.environ, "SECRET_KEY": "bench", "PORTAL_ENV": "development",
           "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL",
                                          f"sqlite:///{workdir / 'bench.db'}")}
    os.environ.update(env)
    flask = [str(VENV_BIN / "flask"), "--app", "portal"]
    for command in (["db", "upgrade"], ["portal", "demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)

    from portal import create_app
    from bench.public_paths import public_paths

    app = create_app()
    paths = args.paths or public_paths(app)
    loader = load_wrk if shutil.which("wrk") else load_python
    print(f"load generator: {'wrk' if loader is load_wrk else 'python threads'}, "
          f"{args.connections} connections, {args.seconds}s per page, "
          f"gunicorn -w {args.workers}, database {env['DATABASE_URL'].split(':')[0]}")

    bare_port, portal_port = free_port(), free_port()
    servers = [gunicorn("bench.bare_app:app", bare_port, args.workers, env, ROOT),
               gunicorn("portal:create_app()", portal_port, args.workers, env, ROOT)]
    try:
        wait_until_up(f"http://127.0.0.1:{bare_port}/")
        wait_until_up(f"http://127.0.0.1:{portal_port}/healthz")
        bare = loader(f"http://127.0.0.1:{bare_port}/", args.seconds, args.connections)
        print(f"{'page':<40} {'req/s':>8} {'ratio':>6} {'SQL':>4} cookie")
        print(f"{'bare Flask app':<40} {bare:>8.0f} {1:>6.2f} {0:>4} no")
        worst_read, worst_form = 1.0, 1.0
        for path in paths:
            statements, cookie = probe(app, path)
            rate = loader(f"http://127.0.0.1:{portal_port}{path}", args.seconds,
                          args.connections)
            # A form sets a session cookie for its CSRF token; a read page must not.
            if cookie:
                worst_form = min(worst_form, rate / bare)
            else:
                worst_read = min(worst_read, rate / bare)
            print(f"{path:<40} {rate:>8.0f} {rate / bare:>6.2f} {statements:>4} "
                  f"{'YES (form)' if cookie else 'no'}")
        print(f"lowest ratio, read pages: {worst_read:.2f} (target >= 0.50)")
        print(f"lowest ratio, forms (fresh CSRF token and session each time): {worst_form:.2f}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
