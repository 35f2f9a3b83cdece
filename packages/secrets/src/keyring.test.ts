import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretError, SecretKeyring } from './keyring.js';

const key = () => randomBytes(32).toString('base64');
const context = 'twilio-auth-token:AC0123';

describe('SecretKeyring', () => {
  it('opens what it sealed; the sealed form carries the key id and never the plaintext', () => {
    const keyring = SecretKeyring.parse(`k1:${key()}`);
    const sealed = keyring.seal('the-auth-token', context);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext).toMatch(/^v1\./);
    expect(sealed.ciphertext).not.toContain('the-auth-token');
    expect(Buffer.from(sealed.ciphertext.slice(3), 'base64').toString('latin1')).not.toContain('the-auth-token');
    expect(keyring.open(sealed, context)).toBe('the-auth-token');
    // A fresh nonce each time: the same secret never seals to the same bytes.
    expect(keyring.seal('the-auth-token', context).ciphertext).not.toBe(sealed.ciphertext);
  });

  it('rotates: the first key seals, every key still opens what it sealed', () => {
    const [old, next] = [key(), key()];
    const sealedBefore = SecretKeyring.parse(`k1:${old}`).seal('token-a', context);
    const rotated = SecretKeyring.parse(`k2:${next}, k1:${old}`);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(sealedBefore, context)).toBe('token-a');
    expect(rotated.seal('token-a', context).keyId).toBe('k2');
  });

  it('names the missing key id when the keyring lacks it', () => {
    const sealed = SecretKeyring.parse(`old:${key()}`).seal('token', context);
    const keyring = SecretKeyring.parse(`new:${key()}`, 'MCTB_SECRETS_KEY');
    expect(() => keyring.open(sealed, context)).toThrow(SecretError);
    expect(() => keyring.open(sealed, context)).toThrow('sealed with key "old", which MCTB_SECRETS_KEY does not hold (it holds "new")');
  });

  it('refuses an altered ciphertext, another context, and another key under the same id', () => {
    const keyring = SecretKeyring.parse(`k1:${key()}`);
    const sealed = keyring.seal('token', context);
    const bytes = Buffer.from(sealed.ciphertext.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => keyring.open({ ...sealed, ciphertext: `v1.${bytes.toString('base64')}` }, context)).toThrow(/does not open with key "k1"/);
    expect(() => keyring.open(sealed, 'twilio-auth-token:AC9999')).toThrow(/does not open with key "k1"/);
    expect(() => SecretKeyring.parse(`k1:${key()}`).open(sealed, context)).toThrow(/does not open with key "k1"/);
    expect(() => keyring.open({ ...sealed, ciphertext: 'plain text' }, context)).toThrow(/not in the v1\./);
  });

  it('refuses a keyring it cannot use, naming the entry and never echoing a key', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => SecretKeyring.parse('', 'MCTB_SECRETS_KEY')).toThrow('MCTB_SECRETS_KEY is empty');
    expect(() => SecretKeyring.parse(key(), 'MCTB_SECRETS_KEY')).toThrow('MCTB_SECRETS_KEY, entry 1: expected id:base64key');
    expect(() => SecretKeyring.parse(`k1:${key()},k2:${short}`)).toThrow(/entry 2: key "k2" must be 32 random bytes/);
    expect(() => SecretKeyring.parse(`k1:${key()},k1:${key()}`)).toThrow(/key id "k1" appears twice/);
    try {
      SecretKeyring.parse(`k1:${short}`);
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
  });

  it('generates entries it can read', () => {
    const keyring = SecretKeyring.parse(`${SecretKeyring.generateEntry('dev')},${SecretKeyring.generateEntry('older')}`);
    expect(keyring.currentKeyId).toBe('dev');
    expect(keyring.has('older')).toBe(true);
    expect(() => SecretKeyring.generateEntry('has space')).toThrow(SecretError);
  });
});
