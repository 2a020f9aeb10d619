/**
 * What each endpoint allows for `eth_getLogs`, remembered across jobs (issue 15: "remembers per
 * endpoint what it allows"): the window to start from next time and, once learned, the cap — the
 * largest range the endpoint accepts (stated in its error, or probed). The in-memory store is the
 * default; the sync engine can persist the same shape (e.g. in IndexedDB) keyed by URL.
 */
export type LogWindowLimits = {
  /** Blocks per request to start with. */
  window: bigint;
  /** Largest range the endpoint accepts, when known. */
  cap?: bigint;
};

export interface LogWindowMemory {
  get(endpoint: string): LogWindowLimits | undefined;
  set(endpoint: string, limits: LogWindowLimits): void;
}

export class InMemoryLogWindows implements LogWindowMemory {
  readonly #m = new Map<string, LogWindowLimits>();
  get(endpoint: string): LogWindowLimits | undefined {
    const v = this.#m.get(endpoint);
    return v && { ...v };
  }
  set(endpoint: string, limits: LogWindowLimits): void {
    this.#m.set(endpoint, { ...limits });
  }
}

/** The memory used when a caller passes none: shared by the whole (extension or Node) process. */
export const defaultLogWindows: LogWindowMemory = new InMemoryLogWindows();
