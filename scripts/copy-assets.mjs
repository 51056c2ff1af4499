// Post-build step: make the CLI entry executable (npm links it as the `sendcheck` bin) and copy the web page's
// static files (src/ui/assets: its script and stylesheet) next to the compiled server.
import { chmodSync, cpSync } from 'node:fs';
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
cpSync(new URL('../src/ui/assets/', import.meta.url), new URL('../dist/ui/assets/', import.meta.url), { recursive: true });
