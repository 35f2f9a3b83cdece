const SECRET_KEY = /secret|token|password/i;
export const MASK = '********';

/**
 * A copy of a plugin config that is safe to show: values under keys that look like credentials
 * are replaced, at any depth. Configs are stored in full (plugins need them); the API never echoes them.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) && inner !== null && inner !== '' ? MASK : maskSecrets(inner)]),
    );
  }
  return value;
}
