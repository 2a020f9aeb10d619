/**
 * The popup's one read (issue 17 "Popup at a glance"): the deployment, how far the verifier got,
 * the wallet's position in the last verified state and the forced requests still waiting. This
 * gathers the stored records; src/wallet/glance.ts computes every figure; the popup lays them out.
 * No RPC is read on the popup's polls, except FREEZE_GRACE_PERIOD once per deployment while a
 * forced request is pending.
 */
import { accountGlance, effectiveRiskParams, l1NowSeconds, readModel } from '../../../src/index.js';
import type { AccountGlance } from '../../../src/index.js';
import { IdbSyncStore, getSyncSettings } from '../../shared/sync-db.js';
import { getExitSettings } from '../exit-db.js';
import { freezeGracePeriodOf } from '../grace-period.js';
import * as session from '../session.js';
import { positionsOfKeys } from '../verifier-reads.js';

export const glanceOps = {
  async glance(): Promise<AccountGlance> {
    const [settings, acct, exit] = await Promise.all([
      getSyncSettings(),
      session.account(),
      getExitSettings().catch(() => undefined),
    ]);
    const cp = settings ? await readModel(new IdbSyncStore()).checkpoint() : undefined;
    const mine = acct && cp?.sharedState ? await positionsOfKeys([BigInt(acct.starkKey)]) : undefined;
    const own = mine?.positions[0];
    const grace = settings && cp?.pendingForced.length ? await freezeGracePeriodOf(settings) : undefined;
    return accountGlance({
      ...(settings ? { deployment: { id: settings.deployment.id, name: settings.deployment.name } } : {}),
      ...(settings && cp ? { checkpoint: cp } : {}),
      ...(own ? { account: { positionId: own.positionId, position: own.position, leafMatchesRoot: own.matches } } : {}),
      ...(own ? {} : { accountNotShown: mine?.notYet ?? 'no position holds your stark key in the verified state yet' }),
      riskParams: effectiveRiskParams(exit?.riskParams, settings?.deployment).params,
      ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
      nowSeconds: l1NowSeconds(cp, Date.now()),
    });
  },
};
