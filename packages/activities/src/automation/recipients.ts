import type { NotificationStore } from '@mctb/db';
import type { Recipient } from '@mctb/snapshots';
import type { PinnedRun } from './pinned-run.js';

export type Channel = 'sms' | 'email' | 'webhook';

/** An address of the channel's kind, or why there is none (a step then fails with it, unretried). */
export type ResolvedRecipient = { ok: true; address: string } | { ok: false; reason: string };

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Where a notification goes: the owner's address for the channel (stored on the sub-account), a
 * pinned custom value, or the literal. Custom values are checked here, as the snapshot's own
 * literals were when it was imported: the value is only known per client.
 */
export async function resolveRecipient(store: NotificationStore, pinned: PinnedRun, to: Recipient, channel: Channel): Promise<ResolvedRecipient> {
  let address: string;
  let source: string;
  if (to.type === 'owner') {
    if (channel === 'webhook') return { ok: false, reason: 'a webhook needs a URL, not the owner' };
    const owner = await store.ownerOf(pinned.subAccountId);
    const stored = channel === 'email' ? owner?.email : owner?.phone;
    if (!stored) return { ok: false, reason: `the sub-account's owner has no ${channel === 'email' ? 'e-mail address' : 'phone number'} set` };
    address = stored;
    source = "the owner's";
  } else if (to.type === 'custom_value') {
    const value = pinned.customValues[to.key]?.trim() ?? '';
    if (value === '') return { ok: false, reason: `custom value "${to.key}" is empty` };
    address = value;
    source = `custom value ${to.key}`;
  } else {
    address = to.value.trim();
    source = 'given in the step';
  }
  const problem = addressProblem(address, channel);
  return problem === null ? { ok: true, address } : { ok: false, reason: `"${address}" (${source}) ${problem}` };
}

function addressProblem(address: string, channel: Channel): string | null {
  switch (channel) {
    case 'sms':
      return E164.test(address) ? null : 'is not a phone number in E.164 form';
    case 'email':
      return EMAIL.test(address) ? null : 'is not an e-mail address';
    case 'webhook':
      return isHttpUrl(address) ? null : 'is not an http(s) URL';
  }
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'https:' || protocol === 'http:';
}
