/** A `chrome.runtime.MessageSender` from one of Vigil's own pages, as the browser fills it in (sender policy tests). */
export const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
export const extensionPage = (path: string, extra: Record<string, unknown> = {}) => ({
  id: EXTENSION_ID,
  origin: EXTENSION_ORIGIN,
  url: `${EXTENSION_ORIGIN}/${path}`,
  ...extra,
});
