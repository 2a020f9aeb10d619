import { describe, expect, it } from 'vitest';
import { OPS_BY_PAGE, extensionPageOf, opAllowed } from '../../../src/wallet/index.js';
import { EXTENSION_ID, EXTENSION_ORIGIN, extensionPage } from '../../helpers/extension-sender.js';

// Issue 14: one allowlist for every op (the exit ops are in it, for the exit wizard alone).
const uiOpAllowed = opAllowed;
const exitOpAllowed = (sender: Parameters<typeof opAllowed>[0], id: string, origin: string) =>
  opAllowed(sender, id, origin, 'exitStatus') && opAllowed(sender, id, origin, 'exitSend');

const ID = EXTENSION_ID;
const ORIGIN = EXTENSION_ORIGIN;
const page = extensionPage;

describe('sender policy for UI operations (issues 13, 14)', () => {
  it('each page gets the operations it uses, and only those', () => {
    expect(uiOpAllowed(page('ui/approval.html'), ID, ORIGIN, 'approve')).toBe(true);
    expect(uiOpAllowed(page('ui/approval.html?x=1#y'), ID, ORIGIN, 'rejectAll')).toBe(true);
    expect(uiOpAllowed(page('ui/popup.html'), ID, ORIGIN, 'unlock')).toBe(true);
    expect(uiOpAllowed(page('ui/popup.html'), ID, ORIGIN, 'approve')).toBe(false);
    expect(uiOpAllowed(page('ui/dashboard.html'), ID, ORIGIN, 'revokeSite')).toBe(true);
    expect(uiOpAllowed(page('ui/dashboard.html'), ID, ORIGIN, 'unlock')).toBe(false);
    expect(uiOpAllowed(page('ui/exit.html'), ID, ORIGIN, 'approve')).toBe(false);
    // Restore from the phrase replaces the vault: the popup's lock screen only (issue 17 item 7).
    expect(uiOpAllowed(page('ui/popup.html'), ID, ORIGIN, 'restoreVault')).toBe(true);
    for (const p of ['ui/approval.html', 'ui/dashboard.html', 'ui/exit.html', 'ui/onboarding.html'])
      expect(uiOpAllowed(page(p), ID, ORIGIN, 'restoreVault'), p).toBe(false);
    // The onboarding tab opened on install creates the first vault, and nothing else.
    expect([...OPS_BY_PAGE['ui/onboarding.html']].sort()).toEqual(['createVault', 'status']);
  });
  it('the offscreen document, which parses untrusted RPC and snapshot data, gets nothing', () => {
    for (const op of new Set<string>(Object.values(OPS_BY_PAGE).flat()))
      expect(uiOpAllowed(page('offscreen/offscreen.html'), ID, ORIGIN, op), op).toBe(false);
    expect(exitOpAllowed(page('offscreen/offscreen.html'), ID, ORIGIN)).toBe(false);
    // Nor does any other extension resource (the fixture's manifest.json page, a future page).
    expect(uiOpAllowed(page('manifest.json'), ID, ORIGIN, 'status')).toBe(false);
  });
  it('fails closed: no origin, another origin, another extension, a web page', () => {
    expect(uiOpAllowed({ id: ID, url: `${ORIGIN}/ui/approval.html` }, ID, ORIGIN, 'approve')).toBe(false);
    expect(uiOpAllowed(page('ui/approval.html', { origin: 'https://evil.example' }), ID, ORIGIN, 'approve')).toBe(
      false,
    );
    expect(uiOpAllowed(page('ui/approval.html', { id: 'other' }), ID, ORIGIN, 'approve')).toBe(false);
    expect(
      uiOpAllowed(
        { id: ID, origin: 'https://evil.example', url: 'https://evil.example/ui/approval.html' },
        ID,
        ORIGIN,
        'approve',
      ),
    ).toBe(false);
    // A url that only starts like ours.
    expect(extensionPageOf({ id: ID, origin: ORIGIN, url: `${ORIGIN}evil/ui/approval.html` }, ID, ORIGIN)).toBeNull();
    expect(uiOpAllowed(page('ui/approval.html'), ID, ORIGIN, 'constructor')).toBe(false);
  });
  it('exit operations only from the exit wizard, with an origin', () => {
    expect(exitOpAllowed(page('ui/exit.html'), ID, ORIGIN)).toBe(true);
    expect(exitOpAllowed(page('ui/popup.html'), ID, ORIGIN)).toBe(false);
    expect(exitOpAllowed({ id: ID, url: `${ORIGIN}/ui/exit.html` }, ID, ORIGIN)).toBe(false);
    // Every exit op, and only from there (issue 14: the exit ops are in the one allowlist).
    const exitOps = OPS_BY_PAGE['ui/exit.html'].filter((op) => op.startsWith('exit'));
    expect(exitOps.length).toBeGreaterThanOrEqual(9);
    for (const p of Object.keys(OPS_BY_PAGE).filter((p) => p !== 'ui/exit.html'))
      for (const op of exitOps) expect(opAllowed(page(p), ID, ORIGIN, op), `${p} ${op}`).toBe(false);
  });
});
