// The demo trading page of the Vigil devnet (issue 7). Plain browser JS, no build: finds wallets
// through EIP-6963, connects to Vigil (stark_requestAccounts), onboards with the operator, shows
// markets, the order book and the account from the operator's dYdX-v3-style API (same origin),
// and places / cancels orders and withdraws with messages signed by the wallet.

const VIGIL_RDNS = 'app.vigil.wallet';
const $ = (id) => document.getElementById(id);
const state = { wallets: new Map(), provider: null, account: null, market: 'ETH-USD', markets: {} };

function say(text, isError = false) {
  $('message').textContent = text;
  $('message').style.color = isError ? '#f87171' : '#fbbf24';
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error ? `${json.error.field}: ${json.error.message}` : `HTTP ${res.status}`);
  return json;
}

function row(cells, extra) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  if (extra) {
    const td = document.createElement('td');
    td.append(extra);
    tr.append(td);
  }
  return tr;
}

// ---- EIP-6963 discovery ----
window.addEventListener('eip6963:announceProvider', (event) => {
  const { info, provider } = event.detail;
  state.wallets.set(info.rdns, { info, provider });
  const names = [...state.wallets.values()].map((w) => w.info.name).join(', ');
  document.querySelector('[data-testid="wallets"]').textContent = `wallets: ${names}`;
  $('connect').disabled = false;
  $('connect').textContent = state.wallets.has(VIGIL_RDNS) ? 'Connect Vigil' : `Connect ${info.name}`;
});
window.dispatchEvent(new Event('eip6963:requestProvider'));
setTimeout(() => {
  if (state.wallets.size === 0)
    document.querySelector('[data-testid="wallets"]').textContent = 'no wallet found: install Vigil';
}, 1500);

const expiration = (days) => new Date(Math.floor(Date.now() / 1000 + days * 86400) * 1000).toISOString();
const clientId = () => `demo-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;

$('connect').addEventListener('click', async () => {
  const wallet = state.wallets.get(VIGIL_RDNS) ?? [...state.wallets.values()][0];
  if (!wallet) return;
  state.provider = wallet.provider;
  try {
    say('approve the connection in your wallet…');
    const acct = await state.provider.request({ method: 'stark_requestAccounts' });
    const { account, created } = await api('POST', '/v3/onboarding', {
      starkKey: acct.starkKey,
      ethereumAddress: acct.address,
    });
    state.account = account;
    $('account-key').textContent = `position ${account.positionId} · ${acct.starkKey.slice(0, 10)}…`;
    document.querySelectorAll('form button').forEach((b) => (b.disabled = false));
    say(
      created
        ? 'onboarded: a test USDC deposit is on its way (credited with the next batch); 10 test ETH for L1 gas'
        : 'connected',
    );
    await refresh();
  } catch (err) {
    say(`connect failed: ${err.message}`, true);
  }
});

$('order-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const order = {
    market: state.market,
    side: form.get('side'),
    size: String(form.get('size')),
    price: String(form.get('price')),
    limitFee: '0.001',
    expiration: expiration(7),
    clientId: clientId(),
    positionId: state.account.positionId,
  };
  try {
    $('order-status').textContent = 'sign the order in your wallet…';
    const signed = await state.provider.request({ method: 'stark_signOrder', params: [order] });
    const { order: placed } = await api('POST', '/v3/orders', { ...order, signature: signed.signature });
    $('order-status').textContent =
      `order ${placed.id.slice(0, 12)}… ${placed.status} (${placed.remainingSize} of ${placed.size} left)`;
    $('order-status').dataset.orderId = placed.id;
    $('order-status').dataset.status = placed.status;
    await refresh();
  } catch (err) {
    $('order-status').textContent = `order failed: ${err.message}`;
  }
});

$('withdraw-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const amount = String(new FormData(e.target).get('amount'));
  const w = {
    amount,
    asset: 'USDC',
    expiration: expiration(7),
    clientId: clientId(),
    positionId: state.account.positionId,
  };
  try {
    $('withdraw-status').textContent = 'sign the withdrawal in your wallet…';
    const signed = await state.provider.request({ method: 'stark_signWithdrawal', params: [w] });
    await api('POST', '/v3/withdrawals', { ...w, signature: signed.signature });
    $('withdraw-status').textContent = `withdrawal of ${amount} USDC accepted: claimable on L1 after the next batch`;
    await refresh();
  } catch (err) {
    $('withdraw-status').textContent = `withdrawal failed: ${err.message}`;
  }
});

async function cancel(id) {
  try {
    await api('DELETE', `/v3/orders/${id}`);
    await refresh();
  } catch (err) {
    say(`cancel failed: ${err.message}`, true);
  }
}

async function refresh() {
  // Frozen on L1 (issue 17): the exchange takes nothing more; the way out is Vigil's exit page.
  const status = await api('GET', '/v3/status');
  const frozen = status.status === 'FROZEN';
  $('exchange-status').hidden = !frozen;
  if (frozen) {
    $('exchange-status').textContent =
      `The exchange is FROZEN on L1 (final state: batch ${status.frozen.lastBatchId ?? 'none'}): no trading, withdrawals or deposits. Escape with Vigil's exit page.`;
    document.querySelectorAll('form button').forEach((b) => (b.disabled = true));
  }
  const { markets } = await api('GET', '/v3/markets');
  state.markets = markets;
  $('markets').replaceChildren(
    ...Object.values(markets).map((m) => {
      const pick = document.createElement('button');
      pick.textContent = m.market === state.market ? 'selected' : 'trade';
      pick.disabled = m.market === state.market;
      pick.onclick = () => {
        state.market = m.market;
        $('order-form').price.value = '';
        refresh();
      };
      return row([m.market, m.oraclePrice], pick);
    }),
  );
  if (!$('order-form').price.value) $('order-form').price.value = Number(markets[state.market].oraclePrice).toFixed(1);
  $('book-market').textContent = state.market;
  const book = await api('GET', `/v3/orderbook/${state.market}`);
  $('bids').replaceChildren(...book.bids.slice(0, 10).map((l) => row([l.price, l.size])));
  $('asks').replaceChildren(...book.asks.slice(0, 10).map((l) => row([l.price, l.size])));
  const { batches } = await api('GET', '/v3/batches');
  $('batches').replaceChildren(
    ...batches
      .slice(0, 12)
      .map((b) =>
        row([b.batchId, String(b.positionIds.length), String(b.dataWords), `${b.positionsRoot.slice(0, 12)}…`]),
      ),
  );
  if (!state.account) return;
  const { account } = await api('GET', `/v3/accounts/${state.account.positionId}`);
  const dl = $('account');
  dl.replaceChildren();
  for (const [k, v] of [
    ['Position', account.positionId],
    ['USDC balance', account.quoteBalance],
    ['Equity', account.equity],
    ['Maintenance', account.maintenanceRequirement],
    ['In next batch', account.inPendingBatch ? 'yes' : 'no'],
  ]) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.testid = `account-${k.toLowerCase().replace(/\s+/g, '-')}`;
    dl.append(dt, dd);
  }
  $('positions').replaceChildren(...Object.values(account.openPositions).map((p) => row([p.market, p.side, p.size])));
  const { orders } = await api('GET', `/v3/orders?positionId=${state.account.positionId}`);
  $('orders').replaceChildren(
    ...orders.slice(0, 20).map((o) => {
      const b = document.createElement('button');
      b.textContent = 'cancel';
      b.disabled = o.status !== 'OPEN';
      b.dataset.testid = `cancel-${o.id}`;
      b.onclick = () => cancel(o.id);
      const tr = row([o.market, o.side, o.size, o.remainingSize, o.price, o.status], b);
      tr.dataset.orderId = o.id;
      return tr;
    }),
  );
}

refresh().catch((err) => say(`operator not reachable: ${err.message}`, true));
setInterval(() => refresh().catch(() => {}), 1000);
