// Loads the data tables in data/ (kept apart from logic, each entry with its source). src/data.ts and
// dist/data.js sit at the same depth, so one relative URL works for tests (from source) and the built CLI.
import { readFileSync } from 'node:fs';

const cache = new Map<string, unknown>();

export function loadDataTable<T>(file: string): T[] {
  if (!cache.has(file)) {
    const url = new URL(`../data/${file}`, import.meta.url);
    const doc = JSON.parse(readFileSync(url, 'utf8')) as { entries?: T[] };
    cache.set(file, doc.entries ?? []);
  }
  return cache.get(file) as T[];
}
