/**
 * Runs the provider-imitating RPC proxy from a shell, for manual runs and benchmarks:
 *   node --import tsx devnet/rpc-proxy/cli.ts --upstream http://127.0.0.1:8545 --profile range-1000,rate-25rps [--seed 7] [--port 8600]
 * Prints the proxy URL; on SIGINT/SIGTERM prints the per-method call counts and stops.
 */
import { parseArgs } from 'node:util';
import { PROFILE_NAMES } from './profiles.js';
import { startRpcProxy } from './server.js';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    profile: { type: 'string', default: '' },
    seed: { type: 'string', default: '1' },
    port: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.upstream) {
  console.log(
    `usage: node --import tsx devnet/rpc-proxy/cli.ts --upstream URL [--profile p1,p2:key=value] [--seed N] [--port N]\nprofiles: ${PROFILE_NAMES.join(', ')}`,
  );
  process.exit(values.help ? 0 : 2);
}

const proxy = await startRpcProxy({
  upstream: values.upstream,
  profiles: [values.profile],
  seed: Number(values.seed),
  ...(values.port ? { port: Number(values.port) } : {}),
});
console.log(
  `rpc-proxy listening on ${proxy.url} → ${values.upstream} (profiles: ${proxy.profiles.map((p) => p.name).join(', ') || 'none'})`,
);

const shutdown = async () => {
  console.log(JSON.stringify(proxy.stats(), null, 2));
  await proxy.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
