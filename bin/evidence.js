#!/usr/bin/env node
// Launcher for `npx evidence …`: registers tsx's ESM loader, then runs the TypeScript CLI.
// tsx is a devDependency, so this runs from a checkout (npm ci); see docs/FORMAT.md.
import { register } from 'tsx/esm/api';

register();
await import('../cli/evidence.ts');
