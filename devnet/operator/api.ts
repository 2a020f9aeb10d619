import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAddress, type Address } from 'viem';
import { isValidStarkKey, serializeEscapeFile } from '../../src/index.js';
import { OperatorApiError, badField, notFound } from './errors.js';
import type { OperatorCore } from './operator.js';
import { toJson } from './operator.js';
import { accountView, batchView, marketsView, orderbookView, orderView } from './views.js';
import { listenOnLoopback, type LoopbackListener } from '../lib/http.js';

/**
 * The operator's HTTP API on 127.0.0.1, modelled on dYdX v3 (`/v3/...`), plus `/admin/...` for
 * tests (misbehaviour switches, closing a batch, airdrops, snapshots) and the demo page at `/`.
 * Errors are `{ error: { status, code, field, message } }` with a 4xx status; a refused request
 * changes nothing. CORS is open: every route is loopback-only and devnet-only.
 */
export type OperatorServer = LoopbackListener;

const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'demo');
const MAX_BODY = 64 * 1024;
/** `POST /admin/advance-time` moves the chain's clock by 1 s up to ten years at a time. */
export const ADVANCE_TIME_MAX_SECONDS = 10 * 365 * 86_400;
/** The default step goes this far past the contract's freeze grace period. */
export const ADVANCE_TIME_MARGIN_SECONDS = 60;

type Handler = (req: { body: unknown; params: string[]; query: URLSearchParams }) => Promise<unknown> | unknown;

function hex(field: string, v: unknown): bigint {
  if (typeof v !== 'string' || !/^(0x)?[0-9a-fA-F]{1,64}$/.test(v))
    throw badField(field, `expected a hex string, got ${JSON.stringify(v)}`);
  return BigInt(v.startsWith('0x') ? v : `0x${v}`);
}

function obj(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badField('body', 'expected a JSON object');
  return body as Record<string, unknown>;
}

export function operatorRoutes(op: OperatorCore): [method: string, path: RegExp, handler: Handler][] {
  const ex = op.exchange;
  const positionQuery = (q: URLSearchParams) => {
    const v = q.get('positionId');
    if (v === null || !/^[0-9]{1,20}$/.test(v))
      throw badField('positionId', `expected a position id query parameter, got ${JSON.stringify(v)}`);
    const a = ex.accounts.get(BigInt(v));
    if (!a) throw notFound('positionId', `no account has position ${v}`);
    return a;
  };
  return [
    ['GET', /^\/v3\/markets$/, () => ({ markets: marketsView(ex) })],
    [
      'GET',
      /^\/v3\/orderbook\/([^/]+)$/,
      ({ params }) => {
        if (!ex.markets.has(params[0]!)) throw notFound('market', `unknown market ${params[0]}`);
        return orderbookView(ex, params[0]!);
      },
    ],
    [
      'POST',
      /^\/v3\/onboarding$/,
      async ({ body }) => {
        const o = obj(body);
        const starkKey = hex('starkKey', o.starkKey);
        if (!isValidStarkKey(starkKey))
          throw badField('starkKey', 'not the x coordinate of a point on the STARK curve');
        if (typeof o.ethereumAddress !== 'string' || !isAddress(o.ethereumAddress, { strict: false }))
          throw badField('ethereumAddress', 'expected a 0x-prefixed Ethereum address');
        const r = await op.onboard(starkKey, o.ethereumAddress as Address);
        return {
          account: accountView(ex, r.positionId),
          created: r.created,
          ...(r.depositTx ? { depositTx: r.depositTx } : {}),
          // Test ETH at the Ethereum address, for its own L1 gas (forced withdrawal, freeze, escape).
          ethBalanceWei: r.ethBalance,
        };
      },
    ],
    [
      'GET',
      /^\/v3\/accounts$/,
      ({ query }) => {
        const a = ex.accountOfKey(hex('starkKey', query.get('starkKey')));
        if (!a) throw notFound('starkKey', 'no account for this stark key: POST /v3/onboarding first');
        return { account: accountView(ex, a.positionId) };
      },
    ],
    [
      'GET',
      /^\/v3\/accounts\/([0-9]{1,20})$/,
      ({ params }) => {
        if (!ex.accounts.has(BigInt(params[0]!))) throw notFound('positionId', `no account has position ${params[0]}`);
        return { account: accountView(ex, BigInt(params[0]!)) };
      },
    ],
    [
      'GET',
      /^\/v3\/positions$/,
      ({ query }) => ({
        positions: Object.values(
          (accountView(ex, positionQuery(query).positionId) as { openPositions: object }).openPositions,
        ),
      }),
    ],
    [
      'GET',
      /^\/v3\/orders$/,
      ({ query }) => {
        const a = positionQuery(query);
        return {
          orders: [...ex.orders.values()]
            .filter((o) => o.positionId === a.positionId)
            .reverse()
            .map((o) => orderView(ex, o)),
        };
      },
    ],
    [
      'GET',
      /^\/v3\/orders\/(0x[0-9a-f]+)$/,
      ({ params }) => {
        const o = ex.orders.get(params[0]!);
        if (!o) throw notFound('id', `no order ${params[0]}`);
        return { order: orderView(ex, o) };
      },
    ],
    ['POST', /^\/v3\/orders$/, ({ body }) => ({ order: orderView(ex, ex.placeOrder(body)) })],
    [
      'DELETE',
      /^\/v3\/orders\/(0x[0-9a-f]+)$/,
      ({ params }) => ({ cancelOrder: orderView(ex, ex.cancelOrder(params[0]!)) }),
    ],
    [
      'GET',
      /^\/v3\/fills$/,
      ({ query }) => {
        const a = positionQuery(query);
        return {
          fills: toJson(
            ex.fills
              .filter((f) => f.positionId === a.positionId)
              .slice(-100)
              .reverse(),
          ),
        };
      },
    ],
    [
      'POST',
      /^\/v3\/withdrawals$/,
      ({ body }) => ({ withdrawal: { ...(toJson(ex.withdraw(body)) as object), status: 'PENDING_BATCH' } }),
    ],
    [
      'POST',
      /^\/v3\/transfers$/,
      ({ body }) => ({ transfer: { ...(toJson(ex.transfer(body)) as object), status: 'PENDING_BATCH' } }),
    ],
    [
      'GET',
      /^\/v3\/escape-proof$/,
      // The escape file of a position at the last posted batch (untrusted: Vigil verifies it against L1).
      async ({ query }) => JSON.parse(serializeEscapeFile(await op.escapeFile(positionQuery(query).positionId))),
    ],
    [
      'GET',
      /^\/v3\/status$/,
      // Whether the exchange still runs: FROZEN once L1 says so (read now), with the final batch.
      async () => {
        await op.checkFrozen('isFrozen() read for GET /v3/status');
        const last = op.batches.at(-1);
        return {
          status: op.frozen ? 'FROZEN' : op.failure ? 'FAILED' : op.misbehaviour.stopBatches ? 'STOPPED' : 'RUNNING',
          frozen: op.frozen ?? null,
          failure: op.failure?.message ?? null,
          lastBatch: last ? batchView(last) : null,
        };
      },
    ],
    ['GET', /^\/v3\/batches$/, () => ({ batches: op.batches.slice(-50).reverse().map(batchView) })],
    [
      'GET',
      /^\/v3\/config$/,
      () => {
        const d = op.opts.deployment;
        return toJson({
          networkId: 1,
          chainId: d.chain.id,
          rpcUrl: d.rpcUrl,
          addresses: d.addresses,
          usdcAssetType: `0x${d.usdcAssetType.toString(16)}`,
          operator: op.operatorAddress,
          insurancePositionId: ex.insurancePositionId,
        });
      },
    ],
    [
      'GET',
      /^\/admin\/misbehaviour$/,
      () => ({ misbehaviour: op.misbehaviour, failure: op.failure?.message ?? null, frozen: op.frozen ?? null }),
    ],
    [
      'POST',
      /^\/admin\/misbehaviour$/,
      ({ body }) => {
        const o = obj(body);
        const next = { ...op.misbehaviour };
        for (const [k, v] of Object.entries(o)) {
          if (!Object.hasOwn(next, k)) throw badField(k, `unknown switch; known: ${Object.keys(next).join(', ')}`);
          if (typeof v !== 'boolean') throw badField(k, 'expected true or false');
          next[k as keyof typeof next] = v;
        }
        Object.assign(op.misbehaviour, next);
        return { misbehaviour: op.misbehaviour };
      },
    ],
    [
      'POST',
      /^\/admin\/close-batch$/,
      async () => {
        const b = await op.closeBatch();
        return { batch: b ? batchView(b) : null, frozen: op.frozen ?? null };
      },
    ],
    [
      'POST',
      /^\/admin\/advance-time$/,
      // Devnet time travel (anvil evm_increaseTime + one mined block): by default just past the
      // contract's FREEZE_GRACE_PERIOD, so a forced request left unserved may now freeze the exchange.
      async ({ body }) => {
        const o = obj(body ?? {});
        for (const k of Object.keys(o))
          if (k !== 'seconds') throw badField(k, `unknown field ${JSON.stringify(k)}; known: seconds`);
        const grace = await op.l1.freezeGracePeriod();
        let seconds = Number(grace) + ADVANCE_TIME_MARGIN_SECONDS;
        if (o.seconds !== undefined) {
          const v = o.seconds;
          if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > ADVANCE_TIME_MAX_SECONDS)
            throw badField(
              'seconds',
              `expected an integer number of seconds in 1..${ADVANCE_TIME_MAX_SECONDS}, got ${JSON.stringify(v) ?? String(v)} (omit it for the freeze grace period + ${ADVANCE_TIME_MARGIN_SECONDS} s = ${seconds})`,
            );
          seconds = v;
        }
        const t = await op.advanceTime(seconds);
        return {
          advanced: {
            seconds,
            fromTimestamp: t.before,
            toTimestamp: t.after,
            blockNumber: t.blockNumber,
            freezeGracePeriod: grace,
          },
        };
      },
    ],
    [
      'POST',
      /^\/admin\/airdrop$/,
      ({ body }) => {
        const o = obj(body);
        const count = o.count;
        if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > 5000)
          throw badField('count', 'expected an integer 1..5000');
        const amount = o.amount === undefined ? 1_000_000n : BigInt(hexOrDec('amount', o.amount));
        return { positionIds: ex.airdrop(count, amount).map(String) };
      },
    ],
    [
      'POST',
      /^\/admin\/snapshot$/,
      async ({ body }) => {
        const o = obj(body ?? {});
        if (typeof o.path !== 'string' || o.path.length === 0) throw badField('path', 'expected a file path');
        return { snapshot: await op.writeSnapshot(o.path) };
      },
    ],
    ['GET', /^\/admin\/snapshot$/, () => op.snapshot()],
  ];
}

function hexOrDec(field: string, v: unknown): string {
  if (typeof v === 'string' && /^[0-9]{1,20}$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  throw badField(field, 'expected a positive integer (quanta)');
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new OperatorApiError(413, 'BODY_TOO_LARGE', 'body', `more than ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OperatorApiError(400, 'MALFORMED_JSON', 'body', `not valid JSON: ${(err as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(toJson(body)) : String(body);
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
  });
  res.end(text);
}

export async function startOperatorServer(
  op: OperatorCore,
  opts: { port?: number; log?: (line: string) => void } = {},
): Promise<OperatorServer> {
  const routes = operatorRoutes(op);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, DELETE',
          'access-control-allow-headers': 'content-type',
        });
        return res.end();
      }
      if (
        req.method === 'GET' &&
        (url.pathname === '/' || url.pathname === '/demo.js' || url.pathname === '/demo.css')
      ) {
        const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
        const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
        return send(res, 200, await readFile(join(DEMO_DIR, file), 'utf8'), type);
      }
      const matching = routes.filter(([, path]) => path.test(url.pathname));
      const route = matching.find(([method]) => method === req.method);
      if (!route) {
        throw matching.length > 0
          ? new OperatorApiError(405, 'METHOD_NOT_ALLOWED', 'method', `${req.method} is not allowed on ${url.pathname}`)
          : new OperatorApiError(404, 'NOT_FOUND', 'path', `no route ${req.method} ${url.pathname}`);
      }
      const body = req.method === 'POST' || req.method === 'DELETE' ? await readBody(req) : undefined;
      const params = route[1].exec(url.pathname)!.slice(1);
      send(res, 200, await route[2]({ body, params, query: url.searchParams }));
    } catch (err) {
      if (err instanceof OperatorApiError)
        return send(res, err.status, {
          error: { status: err.status, code: err.code, field: err.field, message: err.shortMessage },
        });
      opts.log?.(`API ${req.method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}`);
      send(res, 500, { error: { status: 500, code: 'INTERNAL', field: null, message: (err as Error).message } });
    }
  });
  return listenOnLoopback(server, opts.port);
}
