#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step) through tsx's loader.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('./main.ts');
