#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so there is no build step between editing and running.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
