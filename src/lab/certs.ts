// The demo/test certificates shipped in assets/demo-certs (throwaway keys, see its README).
import { readFileSync } from 'node:fs';

export type DemoCertName = 'server' | 'expired' | 'wronghost' | 'selfsigned';

const dir = new URL('../../assets/demo-certs/', import.meta.url);

export function demoCert(name: DemoCertName): { key: string; cert: string } {
  return { key: readFileSync(new URL(`${name}.key`, dir), 'utf8'), cert: readFileSync(new URL(`${name}.pem`, dir), 'utf8') };
}

export function demoCaPem(): string {
  return readFileSync(new URL('ca.pem', dir), 'utf8');
}
