// Drives fal's official JS client against a Kiln gateway through its proxy endpoint and prints what it
// saw as one JSON document.
//
// Usage: node fal_js_client.js <proxy url> <echo endpoint id> <slow endpoint id>
// The client reads FAL_KEY from the environment; NODE_PATH names where @fal-ai/client is installed.
const { createFalClient, ApiError } = require("@fal-ai/client");

const [proxyUrl, echo, slow] = process.argv.slice(2);
const fal = createFalClient({ proxyUrl: { url: proxyUrl, when: "always" } });

async function completedStatus(endpointId, requestId) {
  for (;;) {
    const status = await fal.queue.status(endpointId, { requestId, logs: true });
    if (status.status === "COMPLETED") {
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function subscribe(mode) {
  const updates = [];
  const result = await fal.subscribe(slow, {
    input: { prompt: "subscribe " + mode },
    logs: true,
    mode,
    pollInterval: 50,
    onQueueUpdate: (update) => updates.push({ status: update.status, hasLogs: "logs" in update }),
  });
  return { data: result.data, requestId: result.requestId, updates };
}

async function main() {
  const report = {};

  report.run = (await fal.run(echo, { input: { prompt: "run" } })).data;
  report.subscribe = await subscribe("polling");
  report.subscribe_streaming = await subscribe("streaming");

  const { request_id: requestId } = await fal.queue.submit(echo, { input: { prompt: "submit" } });
  const status = await completedStatus(echo, requestId);
  report.submit_status = { status: status.status, logs: status.logs, metrics: status.metrics };
  report.submit_result = (await fal.queue.result(echo, { requestId })).data;

  // One model slot: the first two keep the worker busy while the third waits in the queue.
  const busy = [];
  for (let i = 0; i < 2; i++) {
    busy.push((await fal.queue.submit(slow, { input: { prompt: "busy" } })).request_id);
  }
  const queued = (await fal.queue.submit(slow, { input: { prompt: "cancelled" } })).request_id;
  await fal.queue.cancel(slow, { requestId: queued });
  const cancelled = await completedStatus(slow, queued);
  report.cancelled_status = { status: cancelled.status, error: cancelled.error, error_type: cancelled.error_type };
  try {
    await fal.queue.result(slow, { requestId: queued });
    report.cancelled_result = { raised: false };
  } catch (error) {
    report.cancelled_result = { raised: true, apiError: error instanceof ApiError, status: error.status };
  }
  report.busy_results = [];
  for (const id of busy) {
    await completedStatus(slow, id);
    report.busy_results.push((await fal.queue.result(slow, { requestId: id })).data);
  }

  const stream = await fal.stream(echo, { input: { prompt: "stream" } });
  const events = [];
  for await (const event of stream) {
    events.push(event);
  }
  report.stream = { events, done: await stream.done() };

  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error instanceof ApiError ? `${error.message} status=${error.status} body=${JSON.stringify(error.body)}` : error);
  process.exit(1);
});
