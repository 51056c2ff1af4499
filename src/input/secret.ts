// A secret (password, OAuth token) that cannot leak by accident: it prints, serialises and inspects as a marker.
import { inspect } from 'node:util';

const MARK = '[secret]';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The only way to read the value; call it at the point of use (building an AUTH payload), nowhere else. */
  reveal(): string {
    return this.#value;
  }
  get length(): number {
    return this.#value.length;
  }
  toString(): string {
    return MARK;
  }
  toJSON(): string {
    return MARK;
  }
  [inspect.custom](): string {
    return MARK;
  }
}
