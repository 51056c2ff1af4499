// Loads the data tables in data/ (kept apart from logic, each entry with its source).
import { readPackageFile } from './package-files.js';

const cache = new Map<string, unknown>();

export function loadDataTable<T>(file: string): T[] {
  if (!cache.has(file)) {
    const doc = JSON.parse(readPackageFile(`data/${file}`)) as { entries?: T[] };
    cache.set(file, doc.entries ?? []);
  }
  return cache.get(file) as T[];
}
