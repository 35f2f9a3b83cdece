export { SecretError, SecretKeyring, type SealedSecret } from './keyring.js';
