#!/usr/bin/env node
// The `create-mctb-plugin` command: the compiled generator (packages/create-plugin/dist, built by `pnpm build`).
import '../dist/main.js';
