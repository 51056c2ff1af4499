// Post-build step: make the CLI entry executable (npm links it as the `sendcheck` bin).
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
