// Drives fal's official JS client (through the gateway's proxy endpoint) across a gateway restart, in two runs.
//
// Usage: node fal_js_restart.js submit <proxy url> <endpoint id> <count>
//          submits <count> requests and prints their ids as a JSON list
//        node fal_js_restart.js collect <proxy url> <endpoint id> <id>...
//          polls each request's status until COMPLETED, then prints their results as a JSON list
// The client reads FAL_KEY from the environment; NODE_PATH names where @fal-ai/client is installed, and
// NODE_EXTRA_CA_CERTS the CA the gateway's certificate was signed with.
const { createFalClient } = require("@fal-ai/client");

const [mode, proxyUrl, endpoint, ...rest] = process.argv.slice(2);
const fal = createFalClient({ proxyUrl: { url: proxyUrl, when: "always" } });

async function main() {
  if (mode === "submit") {
    const ids = [];
    for (let i = 0; i < Number(rest[0]); i++) {
      ids.push((await fal.queue.submit(endpoint, { input: { prompt: "js-restart-" + i } })).request_id);
    }
    return ids;
  }
  const results = [];
  for (const requestId of rest) {
    for (;;) {
      const status = await fal.queue.status(endpoint, { requestId });
      if (status.status === "COMPLETED") {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    results.push((await fal.queue.result(endpoint, { requestId })).data);
  }
  return results;
}

main().then(
  (report) => console.log(JSON.stringify(report)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
