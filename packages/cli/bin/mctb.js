#!/usr/bin/env node
// The `mctb` command: the compiled CLI (packages/cli/dist, built by `pnpm build` / `npm start`).
import '../dist/main.js';
