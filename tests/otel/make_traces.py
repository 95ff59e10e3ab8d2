#!/usr/bin/env python3
"""Runs a small three-service program instrumented with the OpenTelemetry
Python SDK and writes the spans it recorded, in the encodings hlcviz reads.

The services are three HTTP servers on 127.0.0.1 (standard library only),
each with its own TracerProvider and `service.name`:

    frontend --GET /cart--> cart --GET /stock--> inventory
                            cart --GET /price--> inventory

Every call is a CLIENT span in the caller and a SERVER span in the callee, the
trace context carried in the `traceparent` header (W3C, the SDK's default
propagator, through `inject` / `extract`). `inventory` stands for a host whose
clock runs SKEW_MS ahead: its spans take their timestamps from its own clock
(the SDK's `start_time` / `end_time` arguments), as a span on such a host
would.

Output (in OUT_DIR, default the current directory):
    otlp.json          OTLP/JSON as the OTLP specification and the
                       Collector's file exporter write it: lowerCamelCase
                       fields, hex trace and span ids
    otlp-proto.json    the protobuf JSON mapping of the same request
                       (google.protobuf.json_format.MessageToJson: base64 ids)
    otlp-snake.json    the same with the .proto field names (snake_case)
    console.json       what the SDK's ConsoleSpanExporter prints: one JSON
                       object per span, concatenated

Usage: make_traces.py [OUT_DIR] [--requests N]
"""

import base64
import http.server
import io
import json
import os
import sys
import threading
import time
import urllib.request

from google.protobuf import json_format
from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

SKEW_MS = 250
SERVICES = ("frontend", "cart", "inventory")


class Service:
    """One service: its tracer, its clock and its HTTP server."""

    def __init__(self, name, skew_ns=0):
        self.name = name
        self.skew_ns = skew_ns
        self.memory = InMemorySpanExporter()
        self.console = io.StringIO()
        self.provider = TracerProvider(
            resource=Resource.create({"service.name": name})
        )
        self.provider.add_span_processor(SimpleSpanProcessor(self.memory))
        self.provider.add_span_processor(
            SimpleSpanProcessor(ConsoleSpanExporter(out=self.console))
        )
        self.tracer = self.provider.get_tracer("hlcviz.make_traces")
        self.routes = {}
        self.server = None

    def now(self):
        """This service's clock, ns."""
        return time.time_ns() + self.skew_ns

    def span(self, name, kind, context=None):
        return self.tracer.start_span(
            name, context=context, kind=kind, start_time=self.now()
        )

    def end(self, span):
        span.end(end_time=self.now())

    def call(self, port, path):
        """A CLIENT span around an HTTP GET to another service."""
        span = self.span(f"GET {path}", trace.SpanKind.CLIENT)
        with trace.use_span(span, end_on_exit=False):
            headers = {}
            propagate.inject(headers)
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers=headers
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read()
        self.end(span)
        return body

    def serve(self):
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                # urllib sends `Traceparent`; the propagator reads lower case.
                carrier = {k.lower(): v for k, v in self.headers.items()}
                context = propagate.extract(carrier)
                span = service.span(
                    f"GET {self.path}", trace.SpanKind.SERVER, context
                )
                with trace.use_span(span, end_on_exit=False):
                    body = service.routes[self.path]()
                # The span ends when the answer is ready, before it is sent.
                service.end(span)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.server.server_address[1]


def work(ms):
    time.sleep(ms / 1000)
    return b"ok"


def run(requests):
    frontend = Service("frontend")
    cart = Service("cart")
    inventory = Service("inventory", skew_ns=SKEW_MS * 1_000_000)
    inventory.routes["/stock"] = lambda: work(3)
    inventory.routes["/price"] = lambda: work(2)
    inventory_port = inventory.serve()

    def cart_route():
        work(2)
        cart.call(inventory_port, "/stock")
        local = cart.span("apply discounts", trace.SpanKind.INTERNAL)
        work(2)
        cart.end(local)
        return cart.call(inventory_port, "/price")

    cart.routes["/cart"] = cart_route
    cart_port = cart.serve()
    try:
        for _ in range(requests):
            root = frontend.span("checkout", trace.SpanKind.SERVER)
            with trace.use_span(root, end_on_exit=False):
                work(2)
                frontend.call(cart_port, "/cart")
                work(1)
            frontend.end(root)
    finally:
        for service in (cart, inventory):
            service.server.shutdown()
            service.server.server_close()
    return [frontend, cart, inventory]


def hex_ids(value):
    """The OTLP/JSON encoding of ids (hex), from the protobuf JSON mapping's
    (base64), everywhere in the request."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("traceId", "spanId", "parentSpanId") and isinstance(item, str):
                out[key] = base64.b64decode(item).hex()
            else:
                out[key] = hex_ids(item)
        return out
    if isinstance(value, list):
        return [hex_ids(item) for item in value]
    return value


def main(argv):
    args = list(argv)
    requests = 2
    if "--requests" in args:
        at = args.index("--requests")
        requests = int(args[at + 1])
        del args[at : at + 2]
    out_dir = args[0] if args else "."
    os.makedirs(out_dir, exist_ok=True)
    services = run(requests)
    for service in services:
        service.provider.shutdown()
    spans = [s for service in services for s in service.memory.get_finished_spans()]
    request = encode_spans(spans)
    proto_json = json_format.MessageToJson(request)
    files = {
        "otlp.json": json.dumps(hex_ids(json.loads(proto_json))) + "\n",
        "otlp-proto.json": proto_json + "\n",
        "otlp-snake.json": json_format.MessageToJson(
            request, preserving_proto_field_name=True
        )
        + "\n",
        "console.json": "".join(service.console.getvalue() for service in services),
    }
    for name, text in files.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{len(spans)} spans from {len(services)} services in {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
