import { describe, expect, it } from 'vitest';
import { UI_OPS_BY_PAGE, exitOpAllowed, extensionPageOf, uiOpAllowed } from '../../../src/wallet/index.js';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}`;
const page = (path: string, extra: Record<string, unknown> = {}) => ({ id: ID, origin: ORIGIN, url: `${ORIGIN}/${path}`, ...extra });

describe('sender policy for UI operations (issue 13)', () => {
  it('each page gets the operations it uses, and only those', () => {
    expect(uiOpAllowed(page('ui/approval.html'), ID, ORIGIN, 'approve')).toBe(true);
    expect(uiOpAllowed(page('ui/approval.html?x=1#y'), ID, ORIGIN, 'rejectAll')).toBe(true);
    expect(uiOpAllowed(page('ui/popup.html'), ID, ORIGIN, 'unlock')).toBe(true);
    expect(uiOpAllowed(page('ui/popup.html'), ID, ORIGIN, 'approve')).toBe(false);
    expect(uiOpAllowed(page('ui/dashboard.html'), ID, ORIGIN, 'revokeSite')).toBe(true);
    expect(uiOpAllowed(page('ui/dashboard.html'), ID, ORIGIN, 'unlock')).toBe(false);
    expect(uiOpAllowed(page('ui/exit.html'), ID, ORIGIN, 'approve')).toBe(false);
  });
  it('the offscreen document, which parses untrusted RPC and snapshot data, gets nothing', () => {
    for (const op of new Set(Object.values(UI_OPS_BY_PAGE).flat())) expect(uiOpAllowed(page('offscreen/offscreen.html'), ID, ORIGIN, op), op).toBe(false);
    expect(exitOpAllowed(page('offscreen/offscreen.html'), ID, ORIGIN)).toBe(false);
    // Nor does any other extension resource (the fixture's manifest.json page, a future page).
    expect(uiOpAllowed(page('manifest.json'), ID, ORIGIN, 'status')).toBe(false);
  });
  it('fails closed: no origin, another origin, another extension, a web page', () => {
    expect(uiOpAllowed({ id: ID, url: `${ORIGIN}/ui/approval.html` }, ID, ORIGIN, 'approve')).toBe(false);
    expect(uiOpAllowed(page('ui/approval.html', { origin: 'https://evil.example' }), ID, ORIGIN, 'approve')).toBe(false);
    expect(uiOpAllowed(page('ui/approval.html', { id: 'other' }), ID, ORIGIN, 'approve')).toBe(false);
    expect(uiOpAllowed({ id: ID, origin: 'https://evil.example', url: 'https://evil.example/ui/approval.html' }, ID, ORIGIN, 'approve')).toBe(false);
    // A url that only starts like ours.
    expect(extensionPageOf({ id: ID, origin: ORIGIN, url: `${ORIGIN}evil/ui/approval.html` }, ID, ORIGIN)).toBeNull();
    expect(uiOpAllowed(page('ui/approval.html'), ID, ORIGIN, 'constructor')).toBe(false);
  });
  it('exit operations only from the exit wizard, with an origin', () => {
    expect(exitOpAllowed(page('ui/exit.html'), ID, ORIGIN)).toBe(true);
    expect(exitOpAllowed(page('ui/popup.html'), ID, ORIGIN)).toBe(false);
    expect(exitOpAllowed({ id: ID, url: `${ORIGIN}/ui/exit.html` }, ID, ORIGIN)).toBe(false);
  });
});
