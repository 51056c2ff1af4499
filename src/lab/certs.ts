// The demo/test certificates shipped in assets/demo-certs (throwaway keys, see its README).
import { readPackageFile } from '../package-files.js';

export type DemoCertName = 'server' | 'expired' | 'wronghost' | 'selfsigned' | 'interception';

const dir = 'assets/demo-certs/';

export function demoCert(name: DemoCertName): { key: string; cert: string } {
  return { key: readPackageFile(`${dir}${name}.key`), cert: readPackageFile(`${dir}${name}.pem`) };
}

export function demoCaPem(): string {
  return readPackageFile(`${dir}ca.pem`);
}
