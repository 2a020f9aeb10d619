/**
 * Which of Vigil's own pages may ask the service worker for what (issue 13; wallet-practice.md
 * §2.5: Rabby refuses UI ports from anything but extension pages, Argent X gates each procedure on
 * the sender URL). Being an extension page is not enough: the offscreen document parses untrusted
 * RPC and snapshot data and must not be able to approve, unlock or reconfigure anything, and each
 * page gets only the operations it uses. Pure: the service worker passes what the browser put in
 * `sender`.
 */

/** Reading or configuring the L1 verifier (no key involved). */
const SYNC_OPS = ['syncConfigure', 'syncNow', 'syncResume', 'syncExportSnapshot', 'syncImportSnapshot'] as const;

/** `vigil/ui` operations per page path (relative to the extension root). */
export const UI_OPS_BY_PAGE: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // The popup: onboarding (createVault), unlock, lock, the auto-lock setting. The verifier's
  // settings are reachable from it as from the other full pages (e2e wallet-eth configures there).
  'ui/popup.html': ['status', 'createVault', 'unlock', 'lock', 'setAutoLock', ...SYNC_OPS],
  // The approval window: the queue, and the answers to it; it unlocks in place.
  'ui/approval.html': ['status', 'approvals', 'unlock', 'approve', 'reject', 'rejectAll', 'blockSite'],
  // The dashboard: connected sites and the verifier panel.
  'ui/dashboard.html': ['status', 'sites', 'revokeSite', 'lock', ...SYNC_OPS],
  // The exit wizard reads the verifier it builds on.
  'ui/exit.html': ['status', ...SYNC_OPS],
});

/** `vigil/exit` operations: only the exit wizard. */
export const EXIT_PAGES: readonly string[] = Object.freeze(['ui/exit.html']);

export type MessageSender = { id?: string; url?: string; origin?: string; tab?: unknown };

/**
 * The extension page that sent a message, as `ui/popup.html`, or null if the sender is not one of
 * Vigil's pages. Fails closed: no `origin` (a browser that does not report it, or a sender that is
 * not a document) is refused, as is any url outside `extensionOrigin`.
 */
export function extensionPageOf(sender: MessageSender, extensionId: string, extensionOrigin: string): string | null {
  if (sender.id !== extensionId) return null;
  if (typeof sender.origin !== 'string' || sender.origin !== extensionOrigin) return null;
  if (typeof sender.url !== 'string' || !sender.url.startsWith(`${extensionOrigin}/`)) return null;
  const path = sender.url.slice(extensionOrigin.length + 1).split(/[?#]/, 1)[0]!;
  return path;
}

/** Whether `op` of kind `vigil/ui` may come from this sender. */
export function uiOpAllowed(sender: MessageSender, extensionId: string, extensionOrigin: string, op: string): boolean {
  const page = extensionPageOf(sender, extensionId, extensionOrigin);
  if (page === null || !Object.hasOwn(UI_OPS_BY_PAGE, page)) return false;
  return UI_OPS_BY_PAGE[page]!.includes(op);
}

/** Whether a `vigil/exit` operation may come from this sender. */
export function exitOpAllowed(sender: MessageSender, extensionId: string, extensionOrigin: string): boolean {
  const page = extensionPageOf(sender, extensionId, extensionOrigin);
  return page !== null && EXIT_PAGES.includes(page);
}
