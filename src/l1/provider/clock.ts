/**
 * Time for the provider layer: src/ has no DOM or Node types, but every runtime we target
 * (extension pages, workers, service worker, Node) has `setTimeout` and `Date.now`. Injected
 * everywhere so tests can run on a fake clock.
 */
export type Clock = { now(): number; sleep(ms: number): Promise<void> };

const timers = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => timers.setTimeout(resolve, Math.max(0, ms))),
};
