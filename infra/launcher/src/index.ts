export { startPlatform, type PlatformOptions, type RunningPlatform } from './platform.js';
export { startService, type RunningService, type ServiceName } from './services.js';
export { serviceEnvironments, type ServiceEnvOptions } from './service-env.js';
