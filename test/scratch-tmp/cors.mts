import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, sendExtensionOp } from '../helpers/extension-browser.js';

const seen: string[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push(`${req.method} ${req.headers.host} origin=${req.headers.origin ?? '-'}`);
    if (req.method !== 'POST') { res.writeHead(204); res.end(); return; }
    const r = JSON.parse(body);
    const answer = (x: any) => ({ jsonrpc: '2.0', id: x.id, result: x.method === 'eth_chainId' ? '0x7a69' : '0x10' });
    res.writeHead(200, { 'content-type': 'application/json' }); // no CORS headers at all
    res.end(JSON.stringify(Array.isArray(r) ? r.map(answer) : answer(r)));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as any).port;
const { context, extensionId } = await launchWithExtension(mkdtempSync(join(tmpdir(), 'cors-')));
const page = await context.newPage();
await page.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
for (const url of [`http://127.0.0.1:${port}`, `http://rpc.test:${port}`]) {
  const r = await sendExtensionOp(page, 'rpcTest', { url });
  console.log(url, JSON.stringify(r));
}
// The permission prompt: request from the page with a user gesture (a click on a button we add).
await page.evaluate(() => {
  const b = document.createElement('button'); b.id = 'grant'; b.textContent = 'grant';
  b.onclick = () => (globalThis as any).chrome.permissions.request({ origins: ['http://rpc.test/*'] }).then(
    (ok: boolean) => ((globalThis as any).__granted = String(ok)), (e: Error) => ((globalThis as any).__granted = 'error ' + e.message));
  document.body.append(b);
});
await page.click('#grant');
await page.waitForFunction(() => (globalThis as any).__granted !== undefined, null, { timeout: 10_000 }).catch(() => console.log('no answer to permissions.request in 10 s'));
console.log('granted:', await page.evaluate(() => (globalThis as any).__granted));
const r2 = await sendExtensionOp(page, 'rpcTest', { url: `http://rpc.test:${port}` });
console.log('after', JSON.stringify(r2));
console.log(seen.join('\n'));
await context.close();
server.close();
