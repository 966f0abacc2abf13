/**
 * Chute numbers on the wire ↔ chute indices of the machine's chute table (docs/operations.md
 * "Chute numbers"). The PLC knows its chutes by number (1–65535, a uint16 on the wire); sort
 * plans name them by id (`C017`). Lookups in both directions are typed-array reads.
 */

/** Highest wire chute number (uint16; docs/protocol.md "Messages"). */
const MAX_CHUTE_NUMBER = 0xffff;

/** The two-way map between chute indices 0..n-1 and wire chute numbers. */
export class ChuteNumbering {
  /** Chute ids by index (the machine's chute list, as the plan was compiled against). */
  readonly ids: readonly string[];
  /** Wire chute number of each chute index. */
  readonly numbers: Uint16Array;
  private readonly byNumber: Int32Array;

  /**
   * @param ids chute ids by index.
   * @param numbers wire number of each index: distinct integers 1–65535 (checked by the
   *   configuration; here trusted).
   */
  constructor(ids: readonly string[], numbers: ArrayLike<number>) {
    this.ids = ids;
    this.numbers = Uint16Array.from(numbers);
    this.byNumber = new Int32Array(MAX_CHUTE_NUMBER + 1).fill(-1);
    for (let i = 0; i < this.numbers.length; i++) this.byNumber[this.numbers[i]!] = i;
  }

  /** The default numbering: chute ids in list order get 1, 2, 3, ... */
  static sequential(ids: readonly string[]): ChuteNumbering {
    return new ChuteNumbering(
      ids,
      ids.map((_, i) => i + 1),
    );
  }

  /** Chute index of wire number `number`, -1 when no chute has it. */
  indexOf(number: number): number {
    return number >= 0 && number <= MAX_CHUTE_NUMBER ? this.byNumber[number | 0]! : -1;
  }

  /** Wire number of chute index `index`. */
  numberOf(index: number): number {
    return this.numbers[index]!;
  }
}
