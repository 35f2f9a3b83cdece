#!/usr/bin/env node
/**
 * Serves Spam Guard as a remote plugin:
 *   SPAM_GUARD_SIGNING_SECRET=whsec_… PORT=8080 HOST=0.0.0.0 spam-guard   prints {"url": "…"} once listening
 *   spam-guard --print-manifest https://spam-guard.example.com/           the manifest to publish
 */
import { runPluginMain } from '@mctb/plugin-sdk';
import { spamGuard } from './plugin.js';

const { exitCode } = await runPluginMain(spamGuard, {
  secretVariable: 'SPAM_GUARD_SIGNING_SECRET',
  argv: process.argv.slice(2),
  // eslint-disable-next-line no-restricted-properties -- a plugin's server is its own program: its settings come from its environment
  env: process.env,
});
process.exitCode = exitCode;
