"""Real servers on 127.0.0.1 for the serving tests and benchmarks: gunicorn started with the
production configuration (webapp/gunicorn_conf.py) on a port the kernel picks, and nginx in
front. Each runs in its own process group and is stopped (group and all) by `stop()`."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, process, log, port, name):
        self.process, self.log, self.port, self.name = process, log, port, name

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def wait_healthy(url, process, log, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy in time:\n{log.read_text(errors='replace')[-3000:]}")


def start_gunicorn(workdir, name="a", workers=2, secret="serving-test-key", extra_env=None, timeout=60):
    """The production command, as README gives it, bound to 127.0.0.1 on a port of the kernel's choosing."""
    log = Path(workdir) / f"gunicorn-{name}.log"
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "WEB_CONCURRENCY", "SECURE_COOKIES", "HSTS")}
    env.update({"BIND": "127.0.0.1:0", "WEB_CONCURRENCY": str(workers), "SERVED_BY": name,
                "PYTHONPATH": str(ROOT), "ACCESS_LOG": str(Path(workdir) / f"access-{name}.log")})
    if secret:
        env["SECRET_KEY"] = secret
    env.update(extra_env or {})
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:webapp.gunicorn_conf"],
                                   cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + timeout
    port = None
    try:
        while port is None:
            found = LISTENING.search(log.read_text(errors="replace"))
            if found:
                port = int(found.group(1))
            elif process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start ({process.poll()}):\n{log.read_text(errors='replace')[-3000:]}")
            else:
                time.sleep(0.1)
        server = Server(process, log, port, name)
        wait_healthy(server.url, process, log, deadline)
        # every worker booted (each builds its engine after the fork)
        while log.read_text(errors="replace").count("Booting worker") < workers and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        return server
    except BaseException:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        raise


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def start_nginx(workdir, upstreams, timeout=20):
    """Debian's nginx with deploy/nginx.conf's server block, in a prefix of its own (no root, no
    system config), round-robin over `upstreams` (host:port)."""
    binary = nginx_binary()
    workdir = Path(workdir)
    port = free_port()
    for sub in ("logs", "tmp"):
        (workdir / sub).mkdir(exist_ok=True)
    site = NGINX_CONF.read_text()
    site = re.sub(r"upstream benefit_checker \{.*?\}",
                  "upstream benefit_checker {\n" + "".join(f"    server {u};\n" for u in upstreams) + "}",
                  site, flags=re.S)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("listen [::]:80;", "")
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir}/logs/access.log;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
{site}
}}
""")
    log = workdir / "logs" / "nginx.out"
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "-p", str(workdir), "-c", str(conf)], cwd=workdir,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(process, log, port, "nginx")
    try:
        wait_healthy(server.url, process, workdir / "logs" / "error.log", time.monotonic() + timeout)
    except BaseException:
        server.stop()
        raise
    return server
