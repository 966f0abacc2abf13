/**
 * A character trie over 0-9 and A-Z in one Int32Array, used for postal-code prefixes (longest
 * prefix) and routing-code prefixes (longest run of whole leading segments).
 *
 * Layout. A node is {@link NODE_SIZE} consecutive Int32 slots starting at its offset:
 *
 * | slot | content |
 * | --- | --- |
 * | 0 (`VALUE`) | destination index of the key ending here, or -1 |
 * | 1 (`LETTERS`) | offset of this node's letter block, or -1 when no child is a letter |
 * | 2 (`SEGMENT`) | child after a `-` segment separator (routing tries only), or -1 |
 * | 3..12 (`DIGITS`) | child after `0`..`9`, or -1 |
 *
 * Digits are the first class: postal codes are mostly digits, so a digit step is one read. A
 * letter block is 26 slots (children after `A`..`Z`) placed in the same array only for nodes
 * that have a letter child, which keeps all-digit tries at 13 slots a node. Offsets are element
 * indices into the array; -1 means "none". Lower-case a-z in a looked-up key fold to A-Z.
 */

const VALUE = 0;
const LETTERS = 1;
const SEGMENT = 2;
const DIGITS = 3;
/** Int32 slots per node. */
const NODE_SIZE = 13;
/** Int32 slots per letter block. */
const LETTER_BLOCK_SIZE = 26;

const CH_0 = 48;
const CH_9 = 57;
const CH_A = 65;
const CH_Z = 90;
const CH_a = 97;
const CH_z = 122;
const CH_HYPHEN = 45;
const CH_SPACE = 32;

/**
 * Builds a trie at compile time (off the hot path) in a growable array; `slots` is then copied
 * into shared memory. Keys are assumed valid (checked by the plan schema): 0-9, A-Z and, for
 * routing keys, `-` between segments.
 */
export class CharTrieBuilder {
  readonly slots: number[] = [];

  /** Appends a fresh node (no value, no children) and returns its offset. */
  addNode(): number {
    const at = this.slots.length;
    for (let i = 0; i < NODE_SIZE; i++) this.slots.push(-1);
    return at;
  }

  /** The child of `node` after character code `c`, created when missing. */
  private child(node: number, c: number): number {
    let slot: number;
    if (c >= CH_0 && c <= CH_9) slot = node + DIGITS + (c - CH_0);
    else if (c === CH_HYPHEN) slot = node + SEGMENT;
    else {
      let block = this.slots[node + LETTERS]!;
      if (block < 0) {
        block = this.slots.length;
        for (let i = 0; i < LETTER_BLOCK_SIZE; i++) this.slots.push(-1);
        this.slots[node + LETTERS] = block;
      }
      slot = block + (c - CH_A);
    }
    let next = this.slots[slot]!;
    if (next < 0) {
      next = this.addNode();
      this.slots[slot] = next;
    }
    return next;
  }

  /** Stores `value` at the node reached from `root` by `key`. */
  insert(root: number, key: string, value: number): void {
    let node = root;
    for (let i = 0; i < key.length; i++) node = this.child(node, key.charCodeAt(i));
    this.slots[node + VALUE] = value;
  }
}

/**
 * Longest-prefix match of the postal code `s[start, end)` in the trie rooted at `root`.
 * Spaces and hyphens in the code are skipped (`SW1A 1AA`, `100-0001`); a-z fold to A-Z; any
 * other character ends the walk. Returns the value of the longest key that prefixes the code
 * (the root's own value is the empty prefix), or -1. No allocation, never throws.
 */
export function longestPostal(
  trie: Int32Array,
  root: number,
  s: string,
  start: number,
  end: number,
): number {
  let node = root;
  let best = trie[node + VALUE]!;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    let next: number;
    if (c >= CH_0 && c <= CH_9) next = trie[node + DIGITS + c - CH_0]!;
    else {
      if (c === CH_SPACE || c === CH_HYPHEN) continue;
      if (c >= CH_a && c <= CH_z) c -= 32;
      if (c < CH_A || c > CH_Z) break;
      const block = trie[node + LETTERS]!;
      if (block < 0) break;
      next = trie[block + c - CH_A]!;
    }
    if (next < 0) break;
    node = next;
    const v = trie[node + VALUE]!;
    if (v >= 0) best = v;
  }
  return best;
}

/**
 * Longest whole-segment match of the routing code `s[start, end)` (segments joined by `-`) in
 * the trie rooted at offset 0. A key matches only when it ends where a segment of the code ends
 * (at a `-` or at `end`): `771` matches `771-K23-05` but not `7710`. a-z fold to A-Z; any other
 * character ends the walk without matching the segment it interrupts. Returns the value of the
 * longest matching key or -1. No allocation, never throws.
 */
export function longestRouting(trie: Int32Array, s: string, start: number, end: number): number {
  let node = 0;
  let best = -1;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    let next: number;
    if (c >= CH_0 && c <= CH_9) next = trie[node + DIGITS + c - CH_0]!;
    else if (c === CH_HYPHEN) {
      const v = trie[node + VALUE]!;
      if (v >= 0) best = v;
      next = trie[node + SEGMENT]!;
    } else {
      if (c >= CH_a && c <= CH_z) c -= 32;
      if (c < CH_A || c > CH_Z) return best;
      const block = trie[node + LETTERS]!;
      if (block < 0) return best;
      next = trie[block + c - CH_A]!;
    }
    if (next < 0) return best;
    node = next;
  }
  const v = trie[node + VALUE]!;
  return v >= 0 ? v : best;
}
