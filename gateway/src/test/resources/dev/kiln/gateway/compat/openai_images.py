"""Generates images through a Kiln gateway with OpenAI's official Python client and prints them as JSON.

Usage: python openai_images.py <gateway base URL, ending in /v1> <model namespace/name>
The API key comes from OPENAI_API_KEY. Prints {"created": ..., "images": [<base64 PNG>, ...]}.
"""
import json
import os
import sys

from openai import OpenAI

base_url, model = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=base_url, api_key=os.environ["OPENAI_API_KEY"], max_retries=0)
response = client.images.generate(model=model, prompt="a red fox", n=2, size="64x64", response_format="b64_json")
print(json.dumps({"created": response.created, "images": [image.b64_json for image in response.data]}))
