/**
 * JSON that keeps bigints, for settings and snapshots crossing chrome.runtime messaging (which
 * serialises with JSON): a bigint travels as {"$bigint": "<decimal>"}.
 */
export function toTaggedJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { $bigint: x.toString() } : x));
}

export function fromTaggedJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, x) => {
    if (x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 1 && typeof x.$bigint === 'string' && /^-?\d+$/.test(x.$bigint)) return BigInt(x.$bigint);
    return x;
  }) as T;
}
