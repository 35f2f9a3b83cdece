import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A secret as stored: which key sealed it, and the sealed bytes (never the plaintext). */
export interface SealedSecret {
  keyId: string;
  /** `v1.` + base64 of nonce (12 bytes) | GCM tag (16 bytes) | ciphertext. */
  ciphertext: string;
}

/** A keyring that can't be read, a secret sealed by a key it lacks, or one that does not open. */
export class SecretError extends Error {
  override name = 'SecretError';
}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1.';
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * AES-256-GCM keys by id, from configuration like `k2:<base64 key>,k1:<base64 key>`. The first key
 * seals new secrets; every key opens what it sealed, so a key is rotated by putting a new one first,
 * re-sealing, then dropping the old one. Each secret is bound to a context (e.g. the row it belongs
 * to) as associated data, so a ciphertext copied to another row does not open.
 */
export class SecretKeyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;
  readonly #source: string;

  private constructor(keys: Map<string, Buffer>, currentKeyId: string, source: string) {
    this.#keys = keys;
    this.currentKeyId = currentKeyId;
    this.#source = source;
  }

  /**
   * Reads `id:base64key[,id:base64key...]`; `source` names the setting in error messages (never the
   * keys themselves).
   */
  static parse(text: string, source = 'the secrets keyring'): SecretKeyring {
    const keys = new Map<string, Buffer>();
    const entries = text.split(',').map((entry) => entry.trim());
    if (entries.length === 1 && entries[0] === '') throw new SecretError(`${source} is empty; expected id:base64key[,id:base64key...]`);
    for (const [index, entry] of entries.entries()) {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      const where = `${source}, entry ${index + 1}`;
      if (!KEY_ID.test(id)) throw new SecretError(`${where}: expected id:base64key with an id of letters, digits, "_", "." or "-" (at most 32)`);
      if (keys.has(id)) throw new SecretError(`${where}: key id "${id}" appears twice`);
      const encoded = entry.slice(colon + 1);
      const key = Buffer.from(encoded, 'base64');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== KEY_BYTES) {
        throw new SecretError(`${where}: key "${id}" must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
      }
      keys.set(id, key);
    }
    return new SecretKeyring(keys, entries[0]!.slice(0, entries[0]!.indexOf(':')), source);
  }

  /** A new random key in the form parse() reads: `<id>:<base64>`. */
  static generateEntry(id: string): string {
    if (!KEY_ID.test(id)) throw new SecretError(`key id "${id}" must be letters, digits, "_", "." or "-" (at most 32)`);
    return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** Seals with the current key and a fresh nonce. */
  seal(plaintext: string, context: string): SealedSecret {
    const key = this.#keys.get(this.currentKeyId)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, ciphertext: FORMAT + Buffer.concat([nonce, cipher.getAuthTag(), data]).toString('base64') };
  }

  /** The plaintext; throws a SecretError when the key is missing, or the bytes or context differ. */
  open(sealed: SealedSecret, context: string): string {
    const key = this.#keys.get(sealed.keyId);
    if (!key) {
      throw new SecretError(`the secret was sealed with key "${sealed.keyId}", which ${this.#source} does not hold (it holds ${[...this.#keys.keys()].map((id) => `"${id}"`).join(', ')})`);
    }
    const bytes = sealed.ciphertext.startsWith(FORMAT) ? Buffer.from(sealed.ciphertext.slice(FORMAT.length), 'base64') : Buffer.alloc(0);
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new SecretError(`the secret sealed with key "${sealed.keyId}" is not in the ${FORMAT}… format`);
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretError(`the secret does not open with key "${sealed.keyId}": it was altered, belongs to another record, or the key under that id changed`);
    }
  }
}
