import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * How a service reaches a Temporal cluster that needs TLS, mTLS or an API key (Temporal Cloud, or a
 * self-hosted cluster with TLS on its frontend). Spread into each service's env schema; the names
 * are the ones Temporal's own CLI and SDK environment configuration read, so one set of variables
 * serves `temporal` and our services alike. None set: a plaintext connection, as in development.
 */
export const temporalConnectionVariables = {
  /** A Temporal Cloud API key (or any server's bearer token); implies TLS unless TEMPORAL_TLS=false. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** Force TLS on (e.g. a server certificate from a public CA, no client certificate) or off. */
  TEMPORAL_TLS: z.stringbool().optional(),
  /** mTLS: the client certificate and its key (PEM files, e.g. a mounted Kubernetes Secret); both or neither. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  /** The CA that signed the server's certificate, when the system's roots don't. */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  /** The name the server's certificate is checked against (SNI), when it is not the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
};

export type TemporalConnectionEnv = { [K in keyof typeof temporalConnectionVariables]?: z.infer<(typeof temporalConnectionVariables)[K]> };

/** The part of the SDK's TLSConfig we set; structurally the client's and the worker's. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Uint8Array;
  clientCertPair?: { crt: Uint8Array; key: Uint8Array };
}

/** Options for `Connection.connect`/`Connection.lazy` (@temporalio/client) and `NativeConnection.connect` (@temporalio/worker). */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTls | false;
  apiKey?: string;
}

/**
 * The one place a service's Temporal connection options are made from its environment. Files are
 * read once, at start: a rotated certificate is picked up by restarting the pods.
 */
export function temporalConnectionOptions(
  address: string,
  env: TemporalConnectionEnv,
  readFile: (path: string) => Uint8Array = (path) => readFileSync(path),
): TemporalConnectionOptions {
  const certPath = env.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const keyPath = env.TEMPORAL_TLS_CLIENT_KEY_PATH;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new Error('set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (mTLS), or neither');
  }
  const tlsDetails = certPath !== undefined || env.TEMPORAL_TLS_SERVER_CA_CERT_PATH !== undefined || env.TEMPORAL_TLS_SERVER_NAME !== undefined;
  if (env.TEMPORAL_TLS === false && tlsDetails) {
    throw new Error('TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH or TEMPORAL_TLS_SERVER_NAME');
  }
  const options: TemporalConnectionOptions = { address };
  if (env.TEMPORAL_API_KEY !== undefined) options.apiKey = env.TEMPORAL_API_KEY;
  if (env.TEMPORAL_TLS === false) {
    // An API key over plaintext (a self-hosted server behind a TLS-terminating proxy): said, not implied.
    if (options.apiKey !== undefined) options.tls = false;
    return options;
  }
  if (env.TEMPORAL_TLS !== true && !tlsDetails && options.apiKey === undefined) return options;
  const read = (variable: string, path: string): Uint8Array => {
    try {
      return readFile(path);
    } catch (error) {
      throw new Error(`${variable}=${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const tls: TemporalTls = {};
  if (env.TEMPORAL_TLS_SERVER_NAME !== undefined) tls.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
  if (env.TEMPORAL_TLS_SERVER_CA_CERT_PATH !== undefined) tls.serverRootCACertificate = read('TEMPORAL_TLS_SERVER_CA_CERT_PATH', env.TEMPORAL_TLS_SERVER_CA_CERT_PATH);
  if (certPath !== undefined && keyPath !== undefined) {
    tls.clientCertPair = { crt: read('TEMPORAL_TLS_CLIENT_CERT_PATH', certPath), key: read('TEMPORAL_TLS_CLIENT_KEY_PATH', keyPath) };
  }
  options.tls = tls;
  return options;
}
