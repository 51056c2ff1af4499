// Certificates made at test time with openssl (installed by scripts/lab/install.sh): a fresh CA per run, and
// certificates whose validity is relative to today (expiring in days, not valid yet), which static files can't be.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export interface TestCa {
  dir: string;
  caPem: string;
  issue(name: string, opts: { cn: string; sans: string[]; startDaysFromNow?: number; days: number; issuerCn?: string }): { key: string; cert: string };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

export function makeTestCa(cn = 'sendcheck Test Root CA'): TestCa {
  const dir = tempDir('ca');
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', `/CN=${cn}`, '-keyout', 'ca.key', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nserial=serial\nnew_certs_dir=.\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n');
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    issue(name, o) {
      run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${o.cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${o.sans.join(',')}\nbasicConstraints=CA:FALSE\n`);
      const start = new Date(Date.now() + (o.startDaysFromNow ?? -1) * 86_400_000);
      const end = new Date(start.getTime() + o.days * 86_400_000);
      run(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', `${name}.pem`,
        '-startdate', stamp(start), '-enddate', stamp(end), '-extfile', `${name}.ext`, '-notext']);
      return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
    },
  };
}
