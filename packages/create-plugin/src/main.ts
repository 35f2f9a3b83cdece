import { runCreatePlugin } from './program.js';

process.exitCode = await runCreatePlugin(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
