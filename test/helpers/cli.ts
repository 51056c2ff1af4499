// Runs the built CLI (dist/) as a separate process, as a user would.
import { spawn } from 'node:child_process';
import { assertValidReport, reportsIn } from './report-schema.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export const CLI = new URL('../../dist/bin/sendcheck.js', import.meta.url).pathname;

export function runCli(args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`CLI did not finish within ${opts.timeoutMs ?? 30000} ms: ${args.join(' ')}`)); }, opts.timeoutMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        // Every JSON report a test reads from the CLI must match the shipped schema.
        if (args.includes('--json')) for (const r of reportsIn(stdout)) assertValidReport(r, `sendcheck ${args.slice(0, 2).join(' ')} --json`);
      } catch (e) {
        reject(e);
        return;
      }
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
    child.stdin.end(opts.input ?? '');
  });
}
