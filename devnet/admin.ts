// The devnet's admin commands from a shell, over the operator's HTTP API (`npm start` prints the
// API URL and these lines):
//   npm run devnet -- advance-time --api http://127.0.0.1:PORT [--seconds N]
//   npm run devnet -- status --api http://127.0.0.1:PORT
// `advance-time` moves anvil's clock (evm_increaseTime + one mined block), by default just past the
// StarkPerpetual's freeze grace period (read from the contract), so a forced request the operator
// left unserved may freeze the exchange. `status` says whether the exchange runs or is frozen.
// The API may also be given as VIGIL_API. Prints the JSON answer; exits 1 on a refused request.

export {};

const USAGE =
  'usage: npm run devnet -- advance-time --api URL [--seconds N]\n       npm run devnet -- status --api URL\n(or VIGIL_API=URL instead of --api)';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  console.error(`devnet: ${message}`);
  process.exit(1);
}

const command = process.argv[2];
const api = (option('api') ?? process.env.VIGIL_API ?? '').replace(/\/+$/, '');
if (!command || command === '--help' || command === '-h') {
  console.log(USAGE);
  process.exit(0);
}
if (!api) fail(`no API URL: give --api http://127.0.0.1:PORT (npm start prints it)\n${USAGE}`);

let method: string;
let path: string;
let body: unknown;
if (command === 'advance-time') {
  method = 'POST';
  path = '/admin/advance-time';
  const raw = option('seconds');
  // Sent as given: the operator checks the value and answers 400 naming the field and the range.
  body = raw === undefined ? {} : { seconds: /^-?[0-9]+$/.test(raw) ? Number(raw) : raw };
} else if (command === 'status') {
  method = 'GET';
  path = '/v3/status';
} else fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`);

let res: Response;
try {
  res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
} catch (err) {
  fail(`the operator API at ${api} did not answer: ${(err as Error).message}`);
}
const text = await res.text();
let json: unknown;
try {
  json = JSON.parse(text);
} catch {
  fail(`${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
}
if (!res.ok) {
  const e = (json as { error?: { field?: string; message?: string } }).error;
  fail(`${method} ${path} refused (HTTP ${res.status}): ${e?.message ?? text}`);
}
console.log(JSON.stringify(json, null, 2));
