import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { temporalConnectionOptions, temporalConnectionVariables } from './temporal-connection.js';

const files: Record<string, string> = { '/tls/tls.crt': 'CERT', '/tls/tls.key': 'KEY', '/tls/ca.crt': 'CA' };
const readFile = (path: string): Uint8Array => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return new TextEncoder().encode(text);
};
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);
const schema = z.object(temporalConnectionVariables);

describe('temporalConnectionOptions', () => {
  it('is a plaintext connection to the address when nothing is set (development, a cluster in the same network)', () => {
    expect(temporalConnectionOptions('temporal:7233', schema.parse({}), readFile)).toEqual({ address: 'temporal:7233' });
  });

  it('sends an API key over TLS with the system roots (Temporal Cloud with an API key)', () => {
    const options = temporalConnectionOptions('us-east-1.aws.api.temporal.io:7233', schema.parse({ TEMPORAL_API_KEY: 'key-1' }), readFile);
    expect(options).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', apiKey: 'key-1', tls: {} });
  });

  it('reads the mTLS client pair, the server CA and the server name from their files', () => {
    const env = schema.parse({
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/tls/tls.crt',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/tls/tls.key',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/tls/ca.crt',
      TEMPORAL_TLS_SERVER_NAME: 'ns.acct.tmprl.cloud',
    });
    const options = temporalConnectionOptions('ns.acct.tmprl.cloud:7233', env, readFile);
    const tls = options.tls === false ? undefined : options.tls;
    expect(options.apiKey).toBeUndefined();
    expect(text(tls?.clientCertPair?.crt)).toBe('CERT');
    expect(text(tls?.clientCertPair?.key)).toBe('KEY');
    expect(text(tls?.serverRootCACertificate)).toBe('CA');
    expect(tls?.serverNameOverride).toBe('ns.acct.tmprl.cloud');
  });

  it('turns TLS on alone with TEMPORAL_TLS=true, and keeps an API key in plaintext only when told TEMPORAL_TLS=false', () => {
    expect(temporalConnectionOptions('t:7233', schema.parse({ TEMPORAL_TLS: 'true' }), readFile)).toEqual({ address: 't:7233', tls: {} });
    expect(temporalConnectionOptions('t:7233', schema.parse({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }), readFile)).toEqual({
      address: 't:7233',
      apiKey: 'k',
      tls: false,
    });
    expect(temporalConnectionOptions('t:7233', schema.parse({ TEMPORAL_TLS: 'false' }), readFile)).toEqual({ address: 't:7233' });
  });

  it('refuses half a client pair, contradictions and unreadable files, naming the variable', () => {
    expect(() => temporalConnectionOptions('t:7233', schema.parse({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/tls/tls.crt' }), readFile)).toThrow(
      /TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    expect(() => temporalConnectionOptions('t:7233', schema.parse({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x' }), readFile)).toThrow(/TEMPORAL_TLS=false contradicts/);
    expect(() =>
      temporalConnectionOptions('t:7233', schema.parse({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/tls/missing.crt', TEMPORAL_TLS_CLIENT_KEY_PATH: '/tls/tls.key' }), readFile),
    ).toThrow(/TEMPORAL_TLS_CLIENT_CERT_PATH=\/tls\/missing.crt cannot be read: ENOENT/);
  });

  it('rejects a TEMPORAL_TLS that is not a boolean at env validation', () => {
    expect(schema.safeParse({ TEMPORAL_TLS: 'maybe' }).success).toBe(false);
  });
});
