import { VigilError } from '../errors.js';
/**
 * The part of the Web Crypto API the vault uses. The core compiles without DOM types (house
 * rules), so the shape is declared here; browsers, service workers and Node 20 all provide it as
 * `globalThis.crypto`.
 */
export interface WalletCrypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
  readonly subtle: {
    importKey(
      format: 'raw',
      keyData: Uint8Array,
      algorithm: unknown,
      extractable: boolean,
      keyUsages: string[],
    ): Promise<unknown>;
    deriveBits(algorithm: unknown, baseKey: unknown, length: number): Promise<ArrayBuffer>;
    encrypt(algorithm: unknown, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
    decrypt(algorithm: unknown, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
  };
}

/** The platform's Web Crypto (throws if there is none). */
export function platformCrypto(): WalletCrypto {
  const c = (globalThis as { crypto?: WalletCrypto }).crypto;
  if (!c?.subtle) throw new VigilError('Web Crypto (globalThis.crypto.subtle) is not available');
  return c;
}
