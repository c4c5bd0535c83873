"""Kiln's runtime against Python's onnxruntime: the same ONNX model, the same request, in one run.

Candidates:
  (a) Python onnxruntime, session.run in-process: the floor, with no HTTP and no JSON.
  (b) Python onnxruntime behind the standard library's ThreadingHTTPServer speaking KServe v2 JSON
      over HTTP/1.1 keep-alive. The standard library rather than FastAPI and uvicorn: no framework
      or validation layer to charge to Python, a thread per connection so requests run ONNX Runtime
      concurrently (it releases the GIL), and nothing to install beyond the pinned packages.
  (c) Kiln's runtime (dev.kiln.runtime.RuntimeMain) over HTTP, unbatched,
  (d) and with dynamic batching on (maxBatchSize 8, maxDelayMillis 2); at 1 connection it waits
      maxDelayMillis for a batch that never fills.
Both ONNX Runtimes (Python's pinned in runtime-requirements.txt, Java's in the parent pom) get the same
session settings: --threads intra-op threads (1 by default: concurrency comes from concurrent
requests, and wrk needs CPU too), 1 inter-op thread, all graph optimisations, memory arena on.

wrk drives the HTTP candidates at 1 connection (latency) and at --connections (throughput); the
floor runs session.run from as many Python threads. Candidates take turns over the rounds and the
medians are reported, as ratios against (b) for the HTTP servers and against (a) for the overhead.
Every HTTP candidate's answer is first checked against session.run; a wrong answer exits 1.

Run it through bench/runtime-vs-onnxruntime.sh, which builds the runtime and the venv.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
# An MLP of about 77 MiB: about 3 ms a row on one core, bound by memory, so 8 rows cost little more than one.
WIDTHS = (512, 4096, 4096, 16)
BATCHING = {"maxBatchSize": 8, "maxDelayMillis": 2}
CANDIDATES = ("(a) python session.run", "(b) python http.server", "(c) kiln", "(d) kiln batched")


def build_model(path):
    """MatMul, Add and Relu layers with a free batch dimension, seeded weights."""
    rng = np.random.default_rng(1)
    nodes, weights, previous = [], [], "x"
    for i, (rows, cols) in enumerate(zip(WIDTHS, WIDTHS[1:])):
        weight = rng.standard_normal((rows, cols)) / np.sqrt(rows)
        weights.append(numpy_helper.from_array(weight.astype(np.float32), f"w{i}"))
        weights.append(numpy_helper.from_array((rng.standard_normal(cols) * 0.1).astype(np.float32), f"b{i}"))
        last = i == len(WIDTHS) - 2
        nodes.append(helper.make_node("MatMul", [previous, f"w{i}"], [f"m{i}"]))
        nodes.append(helper.make_node("Add", [f"m{i}", f"b{i}"], ["y" if last else f"a{i}"]))
        if not last:
            nodes.append(helper.make_node("Relu", [f"a{i}"], [f"r{i}"]))
            previous = f"r{i}"
    graph = helper.make_graph(nodes, "mlp",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", WIDTHS[0]])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", WIDTHS[-1]])], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def open_session(model, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = True
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def feeds(request):
    return {i["name"]: np.asarray(i["data"], dtype=np.float32).reshape(i["shape"]) for i in request["inputs"]}


def serve(model, threads, port):
    """(b): POST /v2/models/mlp/infer with KServe v2 JSON, HTTP/1.1 keep-alive, a thread per connection."""
    session = open_session(model, threads)
    names = [output.name for output in session.get_outputs()]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path != "/v2/models/mlp/infer":
                return self.answer(404, {"error": f"no model at {self.path}"})
            results = session.run(None, feeds(request))
            self.answer(200, {"model_name": "mlp", "outputs": [
                {"name": name, "datatype": "FP32", "shape": list(value.shape), "data": value.ravel().tolist()}
                for name, value in zip(names, results)]})

        def answer(self, status, document):
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128

    Server(("127.0.0.1", port), Handler).serve_forever()


def floor(model, body, threads, concurrency, seconds):
    """(a): session.run on the decoded request from `concurrency` threads; prints [req/s, p50 ms, p99 ms]."""
    session = open_session(model, threads)
    inputs = feeds(json.loads(Path(body).read_bytes()))
    for _ in range(20):
        session.run(None, inputs)
    latencies = []
    deadline = time.perf_counter() + seconds

    def loop():
        own = []
        while time.perf_counter() < deadline:
            started = time.perf_counter_ns()
            session.run(None, inputs)
            own.append(time.perf_counter_ns() - started)
        latencies.extend(own)

    workers = [threading.Thread(target=loop) for _ in range(concurrency)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    p50, p99 = np.percentile(latencies, [50, 99]) / 1e6
    print(json.dumps([len(latencies) / elapsed, p50, p99]))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def await_listening(port, process, log):
    for _ in range(600):
        if process.poll() is not None:
            sys.exit(f"a candidate server exited with {process.returncode}:\n{Path(log).read_text()[-4000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"a candidate server did not listen on {port} within 60 s")


def post(url, body):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as e:
        sys.exit(f"{url} answered {e.code}: {e.read().decode()}")


def start(servers, port, command, log, env=None):
    """Starts a server process, adding it to `servers` (which main stops), and waits for its port."""
    with open(log, "wb") as output:
        servers.append(subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env))
    await_listening(port, servers[-1], log)


def start_kiln(servers, work, model, threads):
    port = free_port()
    env = dict(os.environ, KILN_BIND_ADDRESS="127.0.0.1", KILN_PORT=str(port), KILN_CACHE_DIR=str(work / "cache"))
    java = Path(os.environ["JAVA_HOME"], "bin", "java") if "JAVA_HOME" in os.environ else "java"
    classpath = f"{ROOT}/runtime-image/target/classes:{ROOT}/runtime-image/target/lib/*"
    # The image's JVM flags (runtime-image/Dockerfile.cpu).
    start(servers, port, [str(java), "--enable-native-access=ALL-UNNAMED", "-XX:+UseZGC", "-XX:+ExitOnOutOfMemoryError",
                          "-cp", classpath, "dev.kiln.runtime.RuntimeMain"], work / "kiln.log", env)
    sha256 = hashlib.sha256(model.read_bytes()).hexdigest()
    session = {"intraOpThreads": threads, "interOpThreads": 1, "optimization": "all", "memoryArena": True}
    for name, batching in (("mlp", None), ("mlp-batched", BATCHING)):
        load = {"name": name, "task": "tensor", "source": {"uri": model.as_uri(), "sha256": sha256}, "session": session}
        if batching:
            load["batching"] = batching
        post(f"http://127.0.0.1:{port}/admin/models", json.dumps(load).encode())
    return port


def start_python_server(servers, work, model, threads):
    port = free_port()
    start(servers, port, [sys.executable, __file__, "serve", str(model), str(threads), str(port)],
          work / "python-server.log")
    return port


def wrk(url, script, connections, seconds):
    """[req/s, p50 ms, p99 ms] from wrk at `connections` keep-alive connections; a slow answer counts, however slow."""
    output = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
                             "--latency", "-s", str(script), url], capture_output=True, text=True).stdout
    if "Non-2xx" in output or "Socket errors" in output or "Requests/sec" not in output:
        sys.exit(f"wrk failed against {url}:\n{output}")
    units = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    percentile = {p: float(v) * units[u]
                  for p, v, u in re.findall(r"^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\b", output, re.M)}
    return [float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1)), percentile["50"], percentile["99"]]


def check(name, url, body, expected):
    output = post(url, body)["outputs"][0]
    actual = np.asarray(output["data"], dtype=np.float32).reshape(output["shape"])
    if actual.shape != expected.shape or not np.allclose(actual, expected, rtol=1e-4, atol=1e-4):
        sys.exit(f"{name} answered {actual.ravel()[:4]}... where session.run gives {expected.ravel()[:4]}...")


def machine():
    """The machine as dev.kiln.bench.report.Machine describes it."""
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) * 1024
    release = Path(os.environ.get("JAVA_HOME", "/nonexistent"), "release")
    java = re.search(r'JAVA_VERSION="([^"]+)"', release.read_text()) if release.exists() else None
    return {"cores": os.cpu_count(), "memoryBytes": memory, "cpu": cpu.group(1) if cpu else platform.machine(),
            "os": f"{platform.system()} {platform.release()} {platform.machine()}",
            "java": f"Java {java.group(1) if java else 'unknown'}, Python {platform.python_version()}"}


def ratio(value):
    return f"{value:.2f}×"


def result(args, results, java_ort, started):
    """The run as a dev.kiln.bench.report.BenchResult (JSON), for docs/benchmarks.md."""
    samples = {key: list(zip(*rows)) for key, rows in results.items()}  # key -> (rps[], p50[], p99[])
    median = {key: [statistics.median(column) for column in columns] for key, columns in samples.items()}
    load = args.connections
    a1, b1 = median[CANDIDATES[0], 1], median[CANDIDATES[1], 1]
    an, bn = median[CANDIDATES[0], load], median[CANDIDATES[1], load]
    latency = [[name, ratio(median[name, 1][1] / b1[1]), ratio(median[name, 1][2] / b1[2]),
                ratio(median[name, 1][1] / a1[1]), f"{median[name, 1][1] - a1[1]:+.2f}"] for name in CANDIDATES]
    throughput = [[name, ratio(median[name, load][0] / bn[0]), ratio(median[name, load][2] / bn[2]),
                   ratio(median[name, load][0] / an[0]),
                   f"{min(samples[name, load][0]) / bn[0]:.2f}–{max(samples[name, load][0]) / bn[0]:.2f}"]
                  for name in CANDIDATES]
    kiln, python, batched = CANDIDATES[2], CANDIDATES[1], CANDIDATES[3]
    p50 = median[kiln, 1][1] / b1[1]
    rps = median[kiln, load][0] / bn[0]
    batched_rps = median[batched, load][0] / median[kiln, load][0]
    findings = [
        (f"At one connection Kiln's runtime answers in {ratio(p50)} the median time of Python's onnxruntime behind "
         "http.server" + (", so Kiln is faster." if p50 < 1 else
                          f": Kiln is {100 * (p50 - 1):.0f}% slower. Both run the same ONNX Runtime with the same session "
                          "settings, so we put the difference down to the HTTP and JSON path (Helidon and Jackson "
                          "against the standard library's server and json), a large share of a 3 ms model.")),
        (f"At {load} connections Kiln serves {ratio(rps)} Python's requests per second" +
         (", ahead of it." if rps >= 1 else f", {100 * (1 - rps):.0f}% fewer: on 2 cores the load generator and the "
          "server share the CPU, and Kiln's JVM spends some of it on JIT and GC.")),
        (f"Dynamic batching (maxBatchSize {BATCHING['maxBatchSize']}, maxDelayMillis {BATCHING['maxDelayMillis']}) "
         f"gives {ratio(batched_rps)} the unbatched throughput at {load} connections; at one connection it costs "
         f"{median[batched, 1][1] - median[kiln, 1][1]:+.2f} ms at the median, the wait for a batch that never fills."),
        f"The floor (a), session.run in-process with no HTTP, shows what any server adds: Kiln's runtime adds "
        f"{median[kiln, 1][1] - a1[1]:+.2f} ms at the median per request, Python's http.server "
        f"{b1[1] - a1[1]:+.2f} ms.",
    ]
    width = " → ".join(map(str, WIDTHS))
    summary = (f"Kiln's runtime against Python's `onnxruntime` on the same ONNX model (an FP32 MLP {width}, "
               f"one row per request as a {WIDTHS[0]}-value KServe v2 JSON body): (a) Python `session.run` "
               "in-process, the floor; (b) the same session behind Python's ThreadingHTTPServer, the baseline; "
               "(c) Kiln's runtime unbatched and (d) with dynamic batching. ONNX Runtime "
               f"{ort.__version__} (Python) and {java_ort} (Java), {args.threads} intra-op and 1 inter-op thread, "
               f"all graph optimisations. wrk drives the HTTP candidates at 1 and {load} keep-alive connections "
               f"for {args.seconds} s each, (a) runs from as many Python threads; {args.rounds} "
               f"round{'s' if args.rounds != 1 else ''} with "
               "candidates taking turns, medians. Every answer is first checked against session.run.")
    categories = ["p50 at 1 connection", "p99 at 1 connection", f"req/s at {load} connections"]
    chart = {"title": "Relative to Python onnxruntime + http.server (b)", "valueAxis": "× (b)",
             "categories": categories, "reference": 1.0,
             "series": [{"name": name, "values": [median[name, 1][1] / b1[1], median[name, 1][2] / b1[2],
                                                  median[name, load][0] / bn[0]]} for name in CANDIDATES]}
    return {
        "name": "3-runtime-vs-onnxruntime", "title": "Runtime: Kiln's runtime vs Python onnxruntime",
        "summary": summary, "command": shlex.join(["bench/runtime-vs-onnxruntime.sh", *sys.argv[1:]]),
        "date": started, "machine": machine(),
        "tables": [
            {"title": "1 connection: latency (lower is better)",
             "columns": ["candidate", "p50 × (b)", "p99 × (b)", "p50 × (a)", "p50 − (a), ms"], "rows": latency,
             "note": "Medians over the rounds. The last column is the only absolute figure: what serving adds to "
                     "the floor, in the same run."},
            {"title": f"{load} connections: throughput (higher is better)",
             "columns": ["candidate", "req/s × (b)", "p99 × (b)", "req/s × (a)", "req/s × (b), range over rounds"],
             "rows": throughput, "note": None}],
        "charts": [chart], "findings": findings}


def main():
    parser = argparse.ArgumentParser(description="Kiln's runtime against Python's onnxruntime on one ONNX model")
    parser.add_argument("--smoke", action="store_true", help="one short round: checks that every candidate works")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=6, help="per candidate and load")
    parser.add_argument("--connections", type=int, default=16, help="the throughput load")
    parser.add_argument("--threads", type=int, default=1, choices=(1, 2), help="ONNX Runtime intra-op threads")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/target/results",
                        help="where to write the result for docs/benchmarks.md")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.seconds = 1, 1
    started = f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%M:%SZ}"
    java_ort = next((ROOT / "runtime-image/target/lib").glob("onnxruntime-*.jar")).stem.removeprefix("onnxruntime-")

    with tempfile.TemporaryDirectory(prefix="kiln-bench-") as directory:
        work = Path(directory)
        model, body, script = work / "mlp.onnx", work / "request.json", work / "post.lua"
        build_model(model)
        values = np.round(np.random.default_rng(2).standard_normal(WIDTHS[0]), 4).tolist()
        request = {"inputs": [{"name": "x", "shape": [1, WIDTHS[0]], "datatype": "FP32", "data": values}]}
        body.write_text(json.dumps(request))
        script.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                          f'local file = assert(io.open("{body}", "rb"))\nwrk.body = file:read("*a")\nfile:close()\n')
        expected = open_session(model, args.threads).run(None, feeds(json.loads(body.read_text())))[0]

        servers = []
        try:
            python_port = start_python_server(servers, work, model, args.threads)
            kiln_port = start_kiln(servers, work, model, args.threads)
            urls = {CANDIDATES[1]: f"http://127.0.0.1:{python_port}/v2/models/mlp/infer",
                    CANDIDATES[2]: f"http://127.0.0.1:{kiln_port}/v2/models/mlp/infer",
                    CANDIDATES[3]: f"http://127.0.0.1:{kiln_port}/v2/models/mlp-batched/infer"}
            for name, url in urls.items():
                check(name, url, body.read_bytes(), expected)
                wrk(url, script, args.connections, 1 if args.smoke else 5)  # warm-up
            results = {(name, load): [] for name in CANDIDATES for load in (1, args.connections)}
            for round_number in range(1, args.rounds + 1):
                for name in CANDIDATES:
                    for load in (1, args.connections):
                        if name in urls:
                            sample = wrk(urls[name], script, load, args.seconds)
                        else:
                            sample = json.loads(subprocess.run(
                                [sys.executable, __file__, "floor", str(model), str(body), str(args.threads), str(load),
                                 str(args.seconds)], check=True, capture_output=True, text=True).stdout)
                        results[name, load].append(sample)
                        print(f"round {round_number} {name:<24} {load:>3} conn {sample[0]:8.0f} req/s  "
                              f"p50 {sample[1]:6.2f} ms  p99 {sample[2]:6.2f} ms", file=sys.stderr, flush=True)
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    document = result(args, results, java_ort, started)
    for line in document["findings"]:
        print("-", line)
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"{document['name']}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
    print(f"result: {path}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "floor":
        floor(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    else:
        main()
