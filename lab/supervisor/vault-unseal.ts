import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { vaultCall, vaultErrors } from '../contract/index.ts';

const POLL_MS = 200;

/**
 * Unseals a Vault node once it answers, is initialized (lab up initializes a new cluster; a joining node is once it
 * has asked the leader to join) and its cluster's unseal key is on disk. What auto-unseal by a cloud KMS does for the
 * seed's clusters, the lab's supervisor does with the Shamir key lab up kept: a restarted node rejoins by itself.
 * Gives up when `alive` turns false (the process exited, or the lab is going down).
 */
export async function unsealWhenReady(addr: string, keyFile: string, alive: () => boolean, log: (line: string) => void): Promise<void> {
  let reported = '';
  while (alive()) {
    const status = await vaultCall<{ initialized?: boolean; sealed?: boolean }>(addr, 'GET', 'sys/seal-status', { timeoutMs: 1_000 });
    if (status.status === 200 && status.body?.sealed === false) {
      log('unsealed');
      return;
    }
    const key = readKey(keyFile);
    if (status.status === 200 && status.body?.initialized && key) {
      const reply = await vaultCall(addr, 'PUT', 'sys/unseal', { body: { key }, timeoutMs: 5_000 });
      if (reply.status !== 200 && reported !== vaultErrors(reply)) {
        reported = vaultErrors(reply);
        log(`unseal refused: ${reported}`);
      }
    }
    await sleep(POLL_MS);
  }
}

function readKey(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
