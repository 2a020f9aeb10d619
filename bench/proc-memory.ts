// Memory (PSS) of a process tree, read from Linux /proc (the bench runs on Linux; elsewhere
// it reports null). Used for Chromium's peak memory: the browser, its zygotes, and the renderer
// that hosts the offscreen document and its Web Workers are all descendants of the bench process.
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after the command name (stat field 3 on); undefined once the process exited. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process exited while we looked
  }
}

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(name);
    if (!fields) continue;
    const ppid = Number(fields[1]);
    const list = byParent.get(ppid) ?? [];
    list.push(Number(name));
    byParent.set(ppid, list);
  }
  return byParent;
}

/** The descendants of `root` (not `root` itself), as the process table stands now. */
export function descendants(root: number): number[] {
  const byParent = children();
  const out: number[] = [];
  const stack = [...(byParent.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

/**
 * Proportional set size (shared pages divided among the processes sharing them), so summing over
 * Chromium's many processes does not count its shared libraries once per process.
 */
function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * The arguments of `pid`'s command line; [] once the process exited. Chromium's zygote children
 * rewrite theirs as one space-separated string: that is split on spaces.
 */
export function commandLine(pid: number): string[] {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return argv.length === 1 ? argv[0]!.split(' ').filter(Boolean) : argv;
  } catch {
    return [];
  }
}

/**
 * PSS of `root` and its descendants (`total`), and of those among them whose command line
 * `select` picks (`selected`, `largest`: the biggest one of them, and how many they are).
 */
export function treePssBytes(
  root: number,
  select: (argv: string[]) => boolean,
): { total: number; selected: number; largest: number; selectedProcesses: number } | null {
  if (process.platform !== 'linux') return null;
  const out = { total: 0, selected: 0, largest: 0, selectedProcesses: 0 };
  for (const pid of [root, ...descendants(root)]) {
    const pss = pssBytes(pid);
    out.total += pss;
    if (pss > 0 && select(commandLine(pid))) {
      out.selected += pss;
      out.selectedProcesses++;
      out.largest = Math.max(out.largest, pss);
    }
  }
  return out;
}

/** Sum of PSS over the descendants of `root` (not `root` itself). */
export function descendantsPssBytes(root = process.pid): number | null {
  if (process.platform !== 'linux') return null;
  return descendants(root).reduce((total, pid) => total + pssBytes(pid), 0);
}

/** CPU seconds (user + system, all threads) used so far by the descendants of `root`. */
export function descendantsCpuSeconds(root = process.pid): number | null {
  if (process.platform !== 'linux') return null;
  let ticks = 0;
  for (const pid of descendants(root)) {
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Samples `read` every `everyMs` until `stop()`, which returns the peak of each figure. */
export function samplePeaks<K extends string>(
  read: () => Record<K, number> | null,
  everyMs = 250,
): { stop: () => Record<K, number> | null; baseline: Record<K, number> | null } {
  const baseline = read();
  let peak = baseline;
  const take = () => {
    const now = read();
    if (now === null) return;
    const next = { ...now };
    for (const k in next) next[k] = Math.max(peak?.[k] ?? 0, now[k]);
    peak = next;
  };
  const timer = setInterval(take, everyMs);
  return {
    baseline,
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** Samples `descendantsPssBytes` every `everyMs` until `stop()`, which returns the peak. */
export function sampleDescendantsPss(everyMs = 250): { stop: () => number | null; baseline: number | null } {
  const s = samplePeaks(() => {
    const pss = descendantsPssBytes();
    return pss === null ? null : { pss };
  }, everyMs);
  return { baseline: s.baseline?.pss ?? null, stop: () => s.stop()?.pss ?? null };
}
