"""Real local endpoints for the AWS tests, the benchmarks and the demo: moto's server in a
subprocess on 127.0.0.1, and a small fault-injecting HTTP proxy of our own in front of it.

Nothing here patches boto3: drift's code talks HTTP to these servers exactly as it would to
AWS, through `endpoint_url` / AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def offline_credentials(region: str) -> dict[str, str]:
    """The environment a benchmark runs boto3 and drift with against the local servers: fake
    keys, a region, and no shared config or credentials file (nothing of a real account)."""
    import os

    return {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoServer:
    """moto's server (devtools/moto_server.py: DescribeParameters paged as AWS pages it) on
    127.0.0.1 at a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("moto_server.py")), "127.0.0.1", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.05)  # waiting for a subprocess to listen, not timing anything

    def reset(self) -> None:
        """Forget every resource (between tests)."""
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/moto-api/reset", method="POST"), timeout=10).read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def operation_of(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[str, str]:
    """(service, operation) of a request, from the X-Amz-Target header or the URL."""
    target = headers.get("x-amz-target", "")
    if target:
        prefix, _, operation = target.partition(".")
        service = {"AmazonSSM": "ssm", "secretsmanager": "secretsmanager"}.get(prefix, "ecs")
        return service, operation
    if path.startswith("/2015-03-31/functions"):
        return "lambda", method
    if b"Action=AssumeRole" in body or b"Action=GetCallerIdentity" in body:
        return "sts", body.decode(errors="replace").split("Action=")[1].split("&")[0]
    return "s3", method


@dataclass
class Fault:
    """Apply `action` to the next `times` requests matching `service` (and `operation`)."""

    service: str
    action: str  # throttle | deny | error500 | drop | delay
    times: int = 1
    operation: str | None = None
    delay: float = 0.0
    #: Matching requests to let through before the fault applies (the second write, say).
    skip: int = 0


@dataclass
class FaultPlan:
    faults: list[Fault] = field(default_factory=list)
    #: Added to every request (seconds), for the benchmarks.
    latency: float = 0.0
    calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: When each request of each service arrived (time.monotonic), for request rates.
    arrivals: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, service: str, operation: str) -> Fault | None:
        with self.lock:
            self.calls[(service, operation)] += 1
            self.arrivals.setdefault(service, []).append(time.monotonic())
            for fault in self.faults:
                if fault.times > 0 and fault.service == service and fault.operation in (None, operation):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    return fault
        return None


def throttling(service: str) -> tuple[int, dict[str, str], bytes]:
    """A throttling answer in the service's own protocol."""
    if service in ("ssm", "secretsmanager", "ecs"):
        code = "ThrottlingException"
        body = f'{{"__type":"{code}","message":"Rate exceeded"}}'.encode()
        return 400, {"Content-Type": "application/x-amz-json-1.1"}, body
    if service == "lambda":
        body = b'{"message":"Rate exceeded","Type":"User"}'
        return 429, {"Content-Type": "application/json", "x-amzn-ErrorType": "TooManyRequestsException"}, body
    if service == "sts":
        body = (
            b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
            b"<Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>"
        )
        return 400, {"Content-Type": "text/xml"}, body
    body = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
    return 503, {"Content-Type": "application/xml"}, body


def access_denied(service: str) -> tuple[int, dict[str, str], bytes]:
    """AccessDenied as a JSON-protocol service answers it."""
    body = b'{"__type":"AccessDeniedException","message":"not authorized"}'
    return 400, {"Content-Type": "application/x-amz-json-1.1"}, body


def internal_error(service: str) -> tuple[int, dict[str, str], bytes]:
    """A bare 500, as a load balancer in front of a service may answer."""
    return 500, {"Content-Type": "application/json"}, b'{"__type":"InternalFailure","message":"oops"}'


CANNED = {"throttle": throttling, "deny": access_denied, "error500": internal_error}


class FaultProxy:
    """A forwarding proxy on 127.0.0.1 that injects the faults of its plan."""

    def __init__(self, upstream: str) -> None:
        self.plan = FaultPlan()
        host, port = upstream.removeprefix("http://").split(":")
        plan = self.plan

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                service, operation = operation_of(self.command, self.path, headers, body)
                if plan.latency:
                    time.sleep(plan.latency)  # the proxy's injected latency, part of the fault model
                fault = plan.take(service, operation)
                if fault is not None and fault.action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault is not None and fault.action == "delay":
                    time.sleep(fault.delay)  # an injected slow answer
                if fault is not None and fault.action in CANNED:
                    self._reply(*CANNED[fault.action](service))
                    return
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                forwarded = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                connection.request(self.command, self.path, body=body, headers=forwarded)
                answer = connection.getresponse()
                data = answer.read()
                reply_headers = {
                    k: v
                    for k, v in answer.getheaders()
                    if k.lower() not in ("transfer-encoding", "connection", "content-length")
                }
                self._reply(answer.status, reply_headers, data)
                connection.close()

            def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self) -> None:
        self.plan.faults.clear()
        self.plan.calls.clear()
        self.plan.arrivals.clear()
        self.plan.latency = 0.0

    def calls(self, service: str, operation: str | None = None) -> int:
        return sum(n for (s, o), n in self.plan.calls.items() if s == service and operation in (None, o))

    def peak_rate(self, service: str, window: float = 1.0) -> int:
        """The most requests to `service` that arrived within any `window` seconds."""
        times = sorted(self.plan.arrivals.get(service, []))
        peak, first = 0, 0
        for last, arrived in enumerate(times):
            while arrived - times[first] >= window:
                first += 1
            peak = max(peak, last - first + 1)
        return peak

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def local_aws(region: str) -> Iterator[tuple[MotoServer, FaultProxy, dict[str, str]]]:
    """moto's server, the fault proxy in front of it and the offline credentials in this
    process's environment (what a benchmark's drift and boto3 run with; the returned
    environment is that, for the processes it starts); both servers stopped at the end."""
    import os

    server = MotoServer()
    proxy = FaultProxy(server.url)
    try:
        os.environ.update(offline_credentials(region))
        yield server, proxy, dict(os.environ)
    finally:
        proxy.stop()
        server.stop()
