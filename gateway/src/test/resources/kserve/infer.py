"""Calls a model through the gateway with Triton's KServe v2 client, as a user would.

  infer.py HOST:PORT NAMESPACE/MODEL API_KEY INPUT_JSON

INPUT_JSON is the FP32 matrix for the model's input "x". Prints one JSON object: the model's
metadata and its output "y".
"""
import json
import sys

import numpy as np
import tritonclient.http as httpclient

url, model, key, x_json = sys.argv[1:5]
headers = {"Authorization": "Key " + key}
client = httpclient.InferenceServerClient(url=url)

if not client.is_server_live():
    sys.exit("the gateway says it is not live")
if not client.is_model_ready(model, headers=headers):
    sys.exit(model + " is not ready")
metadata = client.get_model_metadata(model, headers=headers)

x = np.array(json.loads(x_json), dtype=np.float32)
tensor = httpclient.InferInput("x", list(x.shape), "FP32")
tensor.set_data_from_numpy(x, binary_data=False)
result = client.infer(model, [tensor], outputs=[httpclient.InferRequestedOutput("y", binary_data=False)],
                      headers=headers)
print(json.dumps({"metadata": metadata, "y": result.as_numpy("y").tolist()}))
