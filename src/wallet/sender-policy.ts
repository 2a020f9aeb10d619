/**
 * Which of Vigil's own pages may ask the service worker for what (issues 13 and 14;
 * wallet-practice.md §2.5: Rabby refuses UI ports from anything but extension pages, Argent X gates
 * each procedure on the sender URL). Being an extension page is not enough: the offscreen document
 * parses untrusted RPC and snapshot data and must not be able to approve, unlock or reconfigure
 * anything, and each page gets only the operations it uses. ONE allowlist for every operation of
 * the `vigil/op` channel (wallet, verifier, exit): the exit operations, which sign L1 transactions
 * with the vault's Ethereum key, are listed for the exit wizard alone. Pure: the service worker
 * passes what the browser put in `sender`.
 */

/** Configuring and driving the L1 verifier (no key involved). */
const SYNC_OPS = [
  'syncConfigure',
  'syncNow',
  'syncResume',
  'syncExportSnapshot',
  'syncImportSnapshot',
  'snapshotStreamBegin',
  'snapshotStreamChunk',
  'snapshotStreamEnd',
] as const;
/** Reading the verifier's state, one page of it at a time (the dashboard's panel). */
const VERIFIER_READ_OPS = [
  'verifierOverview',
  'verifierBatches',
  'verifierAlarms',
  'verifierMyPositions',
  'verifierHealth',
  'verifierAcknowledgeAlarm',
] as const;
/** The settings forms (issue 17): one read of what they show, an RPC test, the risk parameters. */
const SETTINGS_OPS = ['settingsView', 'rpcTest', 'riskConfigure'] as const;
/** The exit wizard's operations (issue 10): they read the chain and sign with the vault's Ethereum key. */
const EXIT_OPS = [
  'exitStatus',
  'exitConfigure',
  'exitPlanWithdrawal',
  'exitStart',
  'exitCheckEscape',
  'exitEscapeFile',
  'exitObserve',
  'exitPreview',
  'exitSend',
  'exitOfferCreate',
  'exitOfferRead',
  'exitSelectPosition',
  'exitStress',
] as const;

/** `vigil/op` operations per page path (relative to the extension root). */
export const OPS_BY_PAGE = Object.freeze({
  // The popup: onboarding (createVault), unlock, restore from the phrase on the lock screen
  // (restoreVault), lock, the auto-lock setting. The verifier's settings are reachable from it as
  // from the other full pages (e2e wallet-eth configures there). `glance`: the account at a glance
  // (issue 17), a read of the verifier's store and the wallet's public key.
  'ui/popup.html': ['status', 'glance', 'createVault', 'unlock', 'restoreVault', 'lock', 'setAutoLock', ...SYNC_OPS],
  // The onboarding tab opened on install: creating or importing the first vault, nothing else.
  'ui/onboarding.html': ['status', 'createVault'],
  // The approval window: the queue, and the answers to it; it unlocks in place.
  'ui/approval.html': ['status', 'approvals', 'unlock', 'approve', 'reject', 'rejectAll', 'blockSite'],
  // The dashboard: connected sites and the verifier panel.
  // Its settings forms: the verifier's (SYNC_OPS), the risk parameters, the lock time, an RPC test.
  'ui/dashboard.html': [
    'status',
    'sites',
    'revokeSite',
    'lock',
    ...SYNC_OPS,
    ...VERIFIER_READ_OPS,
    ...SETTINGS_OPS,
    'setAutoLock',
  ],
  // The exit wizard: the verifier it builds on, and the exit operations, for it alone.
  'ui/exit.html': ['status', ...SYNC_OPS, ...EXIT_OPS],
} as const satisfies Record<string, readonly string[]>);

/** Every operation some page may call: the service worker's op table must be exactly these. */
export type PolicyOp = (typeof OPS_BY_PAGE)[keyof typeof OPS_BY_PAGE][number];

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

/** The operations `page` may call; none for a page that is not listed (offscreen, manifest.json…). */
export function opsOfPage(page: string): readonly string[] {
  return Object.hasOwn(OPS_BY_PAGE, page) ? OPS_BY_PAGE[page as keyof typeof OPS_BY_PAGE] : [];
}

/** Whether operation `op` may come from this sender: one of Vigil's pages, and `op` in its list. */
export function opAllowed(sender: MessageSender, extensionId: string, extensionOrigin: string, op: string): boolean {
  const page = extensionPageOf(sender, extensionId, extensionOrigin);
  return page !== null && opsOfPage(page).includes(op);
}
