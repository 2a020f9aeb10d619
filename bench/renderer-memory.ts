// Where the extension renderer's memory goes (`--sync-heaps`): over the browser's DevTools
// protocol on a loopback debugging port, (1) the JS heap in use of every extension context — the
// offscreen document, the sync worker, each hash worker, the service worker, pages — sampled every
// second, with its peak; (2) Chromium's own memory dumps (the `memory-infra` trace category) every
// few seconds, giving the extension renderer's memory by allocator: V8 heaps committed (main thread,
// workers), Blink's garbage-collected heap (IndexedDB requests live there), PartitionAlloc, malloc.
// PSS (proc-memory.ts) says how much; this says which part grew. Node's WebSocket is needed:
// built in from Node 22, behind --experimental-websocket in Node 20.

type Target = { targetId: string; url: string; type: string };
type Context = { url: string; type: string; peakUsed: number; used: number };
type Message = {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: { message: string };
  sessionId?: string;
};

const MiB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

export type RendererMemory = {
  /** Peak and current JS heap in use per extension context, largest peak first. */
  contexts(): Array<{ context: string; peakUsedBytes: number; usedBytes: number }>;
  /** Ends the trace; the largest size each allocator reached in `pid`'s dumps (top-level and one below). */
  stop(pid: number | undefined): Promise<Record<string, number>>;
  lines(contexts: ReturnType<RendererMemory['contexts']>, allocators: Record<string, number>): string[];
  /**
   * Writes a V8 heap snapshot (after the full GC it forces: only what is retained) of the first
   * context whose URL contains `urlPart` to `path`; resolves false when no such context is attached.
   */
  heapSnapshot(urlPart: string, path: string): Promise<boolean>;
};

export async function watchRendererMemory(port: number): Promise<RendererMemory> {
  const WS = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (!WS)
    throw new Error('--sync-heaps needs a WebSocket in Node: Node 22+, or Node 20 with --experimental-websocket');
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as {
    webSocketDebuggerUrl: string;
  };
  const ws = new WS(version.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`DevTools endpoint on port ${port} refused the connection`));
  });
  let nextId = 1;
  const waiting = new Map<number, (m: Message) => void>();
  const sessions = new Map<string, Context>(); // by session id
  const attached = new Set<string>(); // target ids
  const dumps: Array<{ pid: number; allocators: Record<string, { attrs?: { size?: { value: string } } }> }> = [];
  let traceComplete: (() => void) | undefined;
  let snapshotChunks: string[] | undefined;
  const send = (method: string, params: object = {}, sessionId?: string) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  ws.onmessage = (event) => {
    const m = JSON.parse(String(event.data)) as Message;
    if (m.id !== undefined) {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    } else if (m.method === 'Target.attachedToTarget') {
      const { sessionId, targetInfo } = m.params as { sessionId: string; targetInfo: Target };
      if (attached.has(targetInfo.targetId)) {
        void send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
        return;
      }
      attached.add(targetInfo.targetId);
      sessions.set(sessionId, { url: targetInfo.url, type: targetInfo.type, peakUsed: 0, used: 0 });
      // Dedicated workers (the sync worker, and the hash workers it starts) attach through their parent.
      void send(
        'Target.setAutoAttach',
        { autoAttach: true, waitForDebuggerOnStart: false, flatten: true },
        sessionId,
      ).catch(() => undefined);
    } else if (m.method === 'Target.detachedFromTarget') {
      sessions.delete(m.params.sessionId);
    } else if (m.method === 'Tracing.dataCollected') {
      for (const e of m.params.value)
        if (e.ph === 'v' && e.args?.dumps?.allocators) dumps.push({ pid: e.pid, allocators: e.args.dumps.allocators });
    } else if (m.method === 'HeapProfiler.addHeapSnapshotChunk') {
      snapshotChunks?.push(m.params.chunk);
    } else if (m.method === 'Tracing.tracingComplete') {
      traceComplete?.();
    }
  };
  const attachNew = async () => {
    const { targetInfos } = (await send('Target.getTargets')) as { targetInfos: Target[] };
    for (const t of targetInfos)
      if (t.url.startsWith('chrome-extension://') && !attached.has(t.targetId))
        await send('Target.attachToTarget', { targetId: t.targetId, flatten: true }).catch(() => undefined);
  };
  await send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      excludedCategories: ['*'],
      memoryDumpConfig: { triggers: [] },
    },
  });
  const sample = setInterval(async () => {
    await attachNew().catch(() => undefined);
    for (const [id, c] of sessions) {
      const u = (await send('Runtime.getHeapUsage', {}, id).catch(() => undefined)) as { usedSize: number } | undefined;
      if (!u) continue;
      c.used = u.usedSize;
      c.peakUsed = Math.max(c.peakUsed, u.usedSize);
    }
  }, 1000);
  const dump = setInterval(
    () => void send('Tracing.requestMemoryDump', { levelOfDetail: 'light' }).catch(() => undefined),
    4000,
  );
  const name = (c: Context) =>
    `${c.type} ${c.url.replace(/^chrome-extension:\/\/[a-p]+/, '').replace(/-[\w-]{8}\.js$/, '.js')}`;
  return {
    contexts: () =>
      [...sessions.values()]
        .map((c) => ({ context: name(c), peakUsedBytes: c.peakUsed, usedBytes: c.used }))
        .sort((a, b) => b.peakUsedBytes - a.peakUsedBytes),
    async stop(pid) {
      clearInterval(sample);
      clearInterval(dump);
      const done = new Promise<void>((r) => (traceComplete = r));
      await send('Tracing.end');
      await done;
      ws.close();
      const peak: Record<string, number> = {};
      for (const d of dumps) {
        if (d.pid !== pid) continue;
        for (const [allocator, v] of Object.entries(d.allocators)) {
          if (allocator.split('/').length > 2 || !v.attrs?.size) continue;
          peak[allocator] = Math.max(peak[allocator] ?? 0, Number.parseInt(v.attrs.size.value, 16));
        }
      }
      return peak;
    },
    async heapSnapshot(urlPart, path) {
      const session = [...sessions].find(([, c]) => c.url.includes(urlPart))?.[0];
      if (!session) return false;
      snapshotChunks = [];
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, session);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, snapshotChunks.join(''));
      snapshotChunks = undefined;
      return true;
    },
    lines(contexts, allocators) {
      const top = Object.entries(allocators)
        .filter(([, v]) => v >= 2 ** 20)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 14);
      return [
        `  JS heap in use, peak per extension context: ${contexts.map((c) => `${c.context} ${MiB(c.peakUsedBytes)}`).join('; ')}`,
        `  extension renderer by allocator (largest of ${dumps.length} memory dumps each; a/b is a part of a): ${top.map(([k, v]) => `${k} ${MiB(v)}`).join(', ')}`,
      ];
    },
  };
}
