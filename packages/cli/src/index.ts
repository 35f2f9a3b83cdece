export { runCli, DEFAULT_URL } from './program.js';
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
export { parseTargetsCsv, type CsvTarget, type ProvisioningTargetInput } from './targets-csv.js';
