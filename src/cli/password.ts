// Reading a secret without echoing it: from a hidden TTY prompt, from stdin (--password-stdin) or the environment.
import { UserError } from '../errors.js';
import { readBounded } from '../input/read-bounded.js';
import { LIMITS } from '../net/limits.js';

export function readSecretFromStdin(flag = '--password-stdin'): string {
  const data = readBounded(0, LIMITS.maxSecretBytes, `${flag}: standard input`, 'too long for a password or token').toString('utf8');
  // One trailing newline (from echo or a file) is not part of the password.
  return data.replace(/\r?\n$/, '');
}

export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  const stderr = process.stderr;
  if (!stdin.isTTY) throw new UserError('usage', 'cannot prompt for a password without a terminal: use --password-stdin or SENDCHECK_PASSWORD');
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          cleanup();
          stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          cleanup();
          stderr.write('\n');
          return reject(new UserError('usage', 'interrupted'));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}
