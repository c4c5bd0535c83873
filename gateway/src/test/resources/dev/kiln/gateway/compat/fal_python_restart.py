"""Drives fal's official Python client across a gateway restart, in two runs.

Usage: python fal_python_restart.py submit <endpoint id> <count>
         submits <count> requests and prints their ids as a JSON list
       python fal_python_restart.py collect <endpoint id> <id>...
         waits for each request (status polling, as fal_client's handle does) and prints their results as a JSON list
The client reads FAL_RUN_HOST, FAL_QUEUE_RUN_HOST and FAL_KEY from the environment; SSL_CERT_FILE names
the CA the gateway's certificate was signed with.
"""
import json
import sys

import fal_client

mode, endpoint = sys.argv[1], sys.argv[2]

if mode == "submit":
    count = int(sys.argv[3])
    handles = [fal_client.submit(endpoint, arguments={"prompt": f"restart-{i}"}) for i in range(count)]
    print(json.dumps([handle.request_id for handle in handles]))
else:
    results = []
    for request_id in sys.argv[3:]:
        handle = fal_client.SyncClient().get_handle(endpoint, request_id)
        results.append(handle.get())
    print(json.dumps(results))
