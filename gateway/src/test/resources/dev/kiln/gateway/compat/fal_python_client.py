"""Drives fal's official Python client against a Kiln gateway and prints what it saw as one JSON document.

Usage: python fal_python_client.py <echo endpoint id> <slow endpoint id>
The client reads FAL_RUN_HOST, FAL_QUEUE_RUN_HOST and FAL_KEY from the environment; SSL_CERT_FILE names
the CA the gateway's certificate was signed with.
"""
import json
import sys

import fal_client

echo, slow = sys.argv[1], sys.argv[2]
report = {}

report["run"] = fal_client.run(echo, arguments={"prompt": "run"})

updates = []
report["subscribe"] = fal_client.subscribe(
    slow,
    arguments={"prompt": "subscribe"},
    with_logs=True,
    on_queue_update=lambda update: updates.append(type(update).__name__),
)
report["subscribe_updates"] = updates

handle = fal_client.submit(echo, arguments={"prompt": "submit"})
handle.get()
status = fal_client.status(echo, handle.request_id, with_logs=True)
report["submit_status"] = {"type": type(status).__name__, "logs": status.logs, "metrics": status.metrics}
report["submit_result"] = fal_client.result(echo, handle.request_id)

# One model slot: the first two keep the worker busy while the third waits in the queue.
busy = [fal_client.submit(slow, arguments={"prompt": "busy"}) for _ in range(2)]
queued = fal_client.submit(slow, arguments={"prompt": "cancelled"})
fal_client.cancel(slow, queued.request_id)
cancelled = list(queued.iter_events(interval=0.05))[-1]
report["cancelled_status"] = {
    "type": type(cancelled).__name__,
    "error": getattr(cancelled, "error", None),
    "error_type": getattr(cancelled, "error_type", None),
}
try:
    queued.get()
    report["cancelled_result"] = {"raised": False}
except fal_client.FalClientHTTPError as error:
    report["cancelled_result"] = {"raised": True, "status_code": error.status_code}
report["busy_results"] = [handle.get() for handle in busy]

report["stream"] = list(fal_client.stream(echo, arguments={"prompt": "stream"}))

print(json.dumps(report))
