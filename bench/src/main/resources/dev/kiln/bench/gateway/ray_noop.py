"""Ray Serve's HTTP proxy in front of a no-op deployment, for bench/gateway-overhead.sh (GatewayOverheadBench).

The deployment answers every POST as Kiln's synthetic model with serviceTimeMillis 0 does: the JSON
input echoed back as {"input": ..., "service_time_ms": 0}. Usage:

    python ray_noop.py --port PORT --max-ongoing-requests N --num-cpus N

It starts a Ray instance of its own (no dashboard, no usage stats), prints "ready" once the proxy
answers, and stops Serve and Ray when its standard input closes.
"""

import argparse
import sys

import ray
from ray import serve
from starlette.requests import Request


def app(max_ongoing_requests):
    @serve.deployment(num_replicas=1, max_ongoing_requests=max_ongoing_requests,
                      ray_actor_options={"num_cpus": 0})
    class Echo:
        async def __call__(self, request: Request):
            body = await request.body()
            return {"input": (await request.json()) if body else {}, "service_time_ms": 0}

    return Echo.bind()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-ongoing-requests", type=int, default=256)
    parser.add_argument("--num-cpus", type=int, default=2)
    args = parser.parse_args()
    ray.init(num_cpus=args.num_cpus, include_dashboard=False, object_store_memory=100 * 1024 * 1024,
             log_to_driver=False)
    try:
        serve.start(http_options={"host": "127.0.0.1", "port": args.port})
        serve.run(app(args.max_ongoing_requests), name="noop", route_prefix="/", blocking=False)
        print("ready", flush=True)
        sys.stdin.read()
    finally:
        serve.shutdown()
        ray.shutdown()


if __name__ == "__main__":
    main()
