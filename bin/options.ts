import { InvalidArgumentError } from 'commander';

/** commander parser: an integer (for seeds and counts). */
export function integer(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(`${name} must be an integer, got "${value}"`);
    return n;
  };
}

/** commander parser: a number > 0 (or ≥ 0 with `allowZero`). */
export function positiveNumber(name: string, allowZero = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(
        `${name} must be a number ${allowZero ? '≥ 0' : '> 0'}, got "${value}"`,
      );
    }
    return n;
  };
}

/** commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
