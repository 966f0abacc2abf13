/**
 * The GS1 AI table of ./ai-dictionary.ts compiled once, at module load, into typed arrays that
 * the element-string parser reads with integer indexes only:
 *
 * - {@link AI_LENGTH_BY_PREFIX}: the length (2, 3 or 4) of every AI that starts with a given
 *   two-digit prefix, 0 when no AI starts with it (GS1 General Specifications figure 7.8.5-1:
 *   all AIs sharing their first two digits have the same length);
 * - {@link AI_ENTRY_BY_INDEX}: entry number per AI "index" (see {@link aiIndex}), -1 if none;
 * - per entry: flags, length bounds, components, linters, pairing rules and Digital Link
 *   qualifiers as CSR-style start/count ranges into flat arrays.
 *
 * Compiling from the dictionary's own notation keeps the data auditable against the source;
 * a malformed row throws here, at start-up, never on the hot path.
 */
import { AI_DICTIONARY } from './ai-dictionary.js';

/** Component character types of the dictionary. */
export const CompType = { N: 0, X: 1, Y: 2, Z: 3 } as const;

/** Linters (content rules) of the GS1 Barcode Syntax Dictionary, by id (0 is unused). */
export const Linter = {
  CSUM: 1,
  CSUMALPHA: 2,
  KEY: 3,
  KEYOFF1: 4,
  HASNONDIGIT: 5,
  YYMMD0: 6,
  YYMMDD: 7,
  YYYYMMDD: 8,
  HHMI: 9,
  HH: 10,
  MI: 11,
  SS: 12,
  ISO3166: 13,
  ISO3166999: 14,
  ISO3166ALPHA2: 15,
  ISO4217: 16,
  PCENC: 17,
  LATITUDE: 18,
  LONGITUDE: 19,
  YESNO: 20,
  HYPHEN: 21,
  ZERO: 22,
  NONZERO: 23,
  WINDING: 24,
  PIECEOFTOTAL: 25,
  IBAN: 26,
  NOZEROPREFIX: 27,
  IMPORTERIDX: 28,
  PACKAGETYPE: 29,
  COUPONCODE: 30,
  COUPONPOSOFFER: 31,
  MEDIATYPE: 32,
  ISO5218: 33,
  POSINSEQSLASH: 34,
} as const;
/** Linter names as the dictionary writes them, by id. */
export const LINTER_NAMES: readonly string[] = (() => {
  const names = [''];
  for (const [name, id] of Object.entries(Linter)) names[id] = name.toLowerCase();
  return names;
})();

/** Entry flag: pre-defined length, no FNC1 separator needed after the value. */
export const AI_PREDEFINED = 1;
/** Entry flag: permitted as a GS1 Digital Link URI data attribute (query parameter). */
export const AI_DL_ATTRIBUTE = 2;
/** Entry flag: a GS1 Digital Link primary key. */
export const AI_DL_KEY = 4;
/** Entry flag: the last digit of the AI gives the number of decimals of the value (31nn-36nn, 39nn). */
export const AI_DECIMAL = 8;
/** Entry flag: has invalid pairs (`ex=`). */
export const AI_HAS_EX = 16;
/** Entry flag: has mandatory associations (`req=`). */
export const AI_HAS_REQ = 32;
/** Entry flag: one variable-length CSET 82 component without linters (e.g. (10), (21), (403)): validated while scanning for the separator. */
export const AI_PLAIN_X = 64;
/** Entry flag: one fixed-length numeric component, no linter but an optional check digit (e.g. (00), (01), (3302), (410)). */
export const AI_PLAIN_N = 128;
/** Entry flag: an ISO 3166 country (N3) followed by one variable-length CSET 82 component without linters ((421), (7030)-(7039)): validated while scanning for the separator. */
export const AI_COUNTRY_X = 256;
/** Entry flag: an {@link AI_PLAIN_N} value ending with a GS1 modulo-10 check digit (the `csum` linter), e.g. (00), (01). */
export const AI_CSUM = 512;

/**
 * Position of an AI in the index space shared by all AI lengths: two-digit AIs 0-99, three-digit
 * 100-1099, four-digit 1100-11099. Pairing rules are ranges in this space.
 */
export function aiIndex(code: number, digits: number): number {
  return digits === 2 ? code : digits === 3 ? 100 + code : 1100 + code;
}
/** Size of the AI index space. */
export const AI_INDEX_SPACE = 11100;

interface Builder {
  ai: number[];
  digits: number[];
  flags: number[];
  minLen: number[];
  maxLen: number[];
  compStart: number[];
  compCount: number[];
  compType: number[];
  compMin: number[];
  compMax: number[];
  compOptional: number[];
  compCsum: number[];
  compLintStart: number[];
  compLintCount: number[];
  lints: number[];
  reqStart: number[];
  reqCount: number[];
  groupAltStart: number[];
  groupAltCount: number[];
  altAtomStart: number[];
  altAtomCount: number[];
  exStart: number[];
  exCount: number[];
  atomLo: number[];
  atomHi: number[];
  dlSeqStart: number[];
  dlSeqCount: number[];
  seqItemStart: number[];
  seqItemCount: number[];
  seqItems: string[];
  titles: string[];
  reqText: string[];
  exText: string[];
}

function fail(row: string, why: string): never {
  throw new Error(`GS1 AI dictionary row ${row}: ${why}`);
}

/** `3100` / `31nn` / `310n` / `01` → index-space range [lo, hi]. */
function patternRange(p: string, row: string): [number, number] {
  if (!/^[0-9]{2,4}$|^[0-9]{2,3}n{1,2}$/.test(p) || p.length > 4)
    fail(row, `bad AI pattern "${p}"`);
  const lo = Number(p.replace(/n/g, '0'));
  const hi = Number(p.replace(/n/g, '9'));
  return [aiIndex(lo, p.length), aiIndex(hi, p.length)];
}

function build(): Builder {
  const b: Builder = {
    ai: [],
    digits: [],
    flags: [],
    minLen: [],
    maxLen: [],
    compStart: [],
    compCount: [],
    compType: [],
    compMin: [],
    compMax: [],
    compOptional: [],
    compCsum: [],
    compLintStart: [],
    compLintCount: [],
    lints: [],
    reqStart: [],
    reqCount: [],
    groupAltStart: [],
    groupAltCount: [],
    altAtomStart: [],
    altAtomCount: [],
    exStart: [],
    exCount: [],
    atomLo: [],
    atomHi: [],
    dlSeqStart: [],
    dlSeqCount: [],
    seqItemStart: [],
    seqItemCount: [],
    seqItems: [],
    titles: [],
    reqText: [],
    exText: [],
  };
  for (const [aiSpec, flagSpec, spec, attrs, title] of AI_DICTIONARY) {
    const [fromStr, toStr = fromStr] = aiSpec.split('-') as [string, string?];
    if (fromStr.length !== toStr.length) fail(aiSpec, 'range bounds differ in length');
    for (let code = Number(fromStr); code <= Number(toStr); code++) {
      const digits = fromStr.length;
      const aiStr = String(code).padStart(digits, '0');
      b.ai.push(code);
      b.digits.push(digits);
      let flags = 0;
      if (flagSpec.includes('*')) flags |= AI_PREDEFINED;
      if (flagSpec.includes('?')) flags |= AI_DL_ATTRIBUTE;
      const n4 = digits === 4 ? Math.floor(code / 100) : -1;
      if ((n4 >= 31 && n4 <= 36) || n4 === 39) flags |= AI_DECIMAL;
      // components
      b.compStart.push(b.compType.length);
      let min = 0;
      let max = 0;
      let comps = 0;
      for (const token of spec.split(/\s+/)) {
        const m = /^(\[)?([NXYZ])(\.\.)?([0-9]+)(\])?((?:,[a-z0-9]+)*)$/.exec(token);
        if (!m || (m[1] === undefined) !== (m[5] === undefined))
          fail(aiStr, `bad component "${token}"`);
        const optional = m[1] !== undefined;
        const n = Number(m[4]);
        b.compType.push('NXYZ'.indexOf(m[2]!));
        b.compMin.push(m[3] ? 1 : n);
        b.compMax.push(n);
        b.compOptional.push(optional ? 1 : 0);
        b.compLintStart.push(b.lints.length);
        const numeric = m[2] === 'N';
        let csum = 0;
        let lints = 0;
        for (const name of m[6] ? m[6].slice(1).split(',') : []) {
          const id = LINTER_NAMES.indexOf(name);
          if (id <= 0) fail(aiStr, `unknown linter "${name}"`);
          // On numeric components the check digit is verified in the character loop, and a
          // GS1 Company Prefix (4 leading digits) always holds.
          if (numeric && id === Linter.CSUM) csum = 1;
          else if (!(numeric && (id === Linter.KEY || id === Linter.KEYOFF1))) {
            b.lints.push(id);
            lints++;
          }
        }
        b.compCsum.push(csum);
        b.compLintCount.push(lints);
        if (!optional) min += m[3] ? 1 : n;
        max += n;
        comps++;
      }
      b.compCount.push(comps);
      b.minLen.push(min);
      b.maxLen.push(max);
      // attributes
      b.reqStart.push(b.groupAltStart.length);
      let reqGroups = 0;
      const exAtoms: string[] = [];
      const reqTexts: string[] = [];
      let dlSeqs: string[][] = [];
      for (const attr of attrs.split(/\s+/).filter(Boolean)) {
        const [key, value = ''] = attr.split('=') as [string, string?];
        if (key === 'req') {
          b.groupAltStart.push(b.altAtomStart.length);
          const alts = value.split(',');
          reqTexts.push(
            alts
              .map((alt) =>
                alt
                  .split('+')
                  .map((x) => `(${x})`)
                  .join(' with '),
              )
              .join(' or '),
          );
          for (const alt of alts) {
            b.altAtomStart.push(b.atomLo.length);
            const atoms = alt.split('+');
            for (const atom of atoms) {
              const [lo, hi] = patternRange(atom, aiStr);
              b.atomLo.push(lo);
              b.atomHi.push(hi);
            }
            b.altAtomCount.push(atoms.length);
          }
          b.groupAltCount.push(alts.length);
          reqGroups++;
        } else if (key === 'ex') {
          exAtoms.push(...value.split(','));
        } else if (key === 'dlpkey') {
          flags |= AI_DL_KEY;
          dlSeqs = value === '' ? [] : value.split('|').map((seq) => seq.split(','));
        } else {
          fail(aiStr, `unknown attribute "${attr}"`);
        }
      }
      b.reqCount.push(reqGroups);
      b.exStart.push(b.atomLo.length);
      for (const atom of exAtoms) {
        const [lo, hi] = patternRange(atom, aiStr);
        b.atomLo.push(lo);
        b.atomHi.push(hi);
      }
      b.exCount.push(exAtoms.length);
      b.dlSeqStart.push(b.seqItemStart.length);
      for (const seq of dlSeqs) {
        b.seqItemStart.push(b.seqItems.length);
        b.seqItems.push(...seq);
        b.seqItemCount.push(seq.length);
      }
      b.dlSeqCount.push(dlSeqs.length);
      if (reqGroups > 0) flags |= AI_HAS_REQ;
      if (exAtoms.length > 0) flags |= AI_HAS_EX;
      if (comps === 1 && spec.startsWith('X..') && !spec.includes(',')) flags |= AI_PLAIN_X;
      const c = b.compType.length - 1;
      if (
        comps === 1 &&
        b.compType[c] === CompType.N &&
        b.compMin[c] === b.compMax[c] &&
        b.compLintCount[c] === 0
      ) {
        flags |= AI_PLAIN_N | (b.compCsum[c] === 1 ? AI_CSUM : 0);
      }
      if (/^N3,iso3166(999)? X\.\.[0-9]+$/.test(spec)) flags |= AI_COUNTRY_X;
      b.flags.push(flags);
      b.reqText.push(reqTexts.join(', and '));
      b.exText.push(exAtoms.map((x) => `(${x})`).join(', '));
      b.titles.push(title.replace(/ # n$/, ` # ${code % 10}`));
    }
  }
  return b;
}

const B = build();

/** Number of AI entries (one per AI; ranges of the dictionary are expanded). */
export const AI_COUNT = B.ai.length;
/** AI number per entry (e.g. 3302). */
export const AI_CODE = Uint16Array.from(B.ai);
/** AI length in digits per entry (2, 3 or 4). */
const AI_DIGITS = Uint8Array.from(B.digits);
/** {@link AI_PREDEFINED} | {@link AI_DL_ATTRIBUTE} | {@link AI_DL_KEY} | {@link AI_DECIMAL} | {@link AI_HAS_EX} | {@link AI_HAS_REQ} | {@link AI_PLAIN_X} | {@link AI_PLAIN_N} | {@link AI_COUNTRY_X} | {@link AI_CSUM} per entry. */
export const AI_FLAGS = Uint16Array.from(B.flags);
/** Shortest and longest value per entry (mandatory components / all components). */
export const AI_MIN_LENGTH = Uint8Array.from(B.minLen);
export const AI_MAX_LENGTH = Uint8Array.from(B.maxLen);
/** Components of entry e: `COMP_*[AI_COMP_START[e] .. + AI_COMP_COUNT[e])`. */
export const AI_COMP_START = Uint16Array.from(B.compStart);
export const AI_COMP_COUNT = Uint8Array.from(B.compCount);
export const COMP_TYPE = Uint8Array.from(B.compType);
export const COMP_MIN = Uint8Array.from(B.compMin);
export const COMP_MAX = Uint8Array.from(B.compMax);
export const COMP_OPTIONAL = Uint8Array.from(B.compOptional);
/** 1 when numeric component c ends with a GS1 modulo-10 check digit (the `csum` linter). */
export const COMP_CSUM = Uint8Array.from(B.compCsum);
/** Linters of component c: `COMP_LINTS[COMP_LINT_START[c] .. + COMP_LINT_COUNT[c])`. */
export const COMP_LINT_START = Uint16Array.from(B.compLintStart);
export const COMP_LINT_COUNT = Uint8Array.from(B.compLintCount);
export const COMP_LINTS = Uint8Array.from(B.lints);
/**
 * Mandatory associations of entry e: groups `AI_REQ_START[e] .. + AI_REQ_COUNT[e]`; group g has
 * alternatives `GROUP_ALT_START[g] .. + GROUP_ALT_COUNT[g]`; alternative a needs every atom
 * `ALT_ATOM_START[a] .. + ALT_ATOM_COUNT[a]`; an atom is an index-space range
 * `[ATOM_LO, ATOM_HI]`. A group holds when one of its alternatives does.
 */
export const AI_REQ_START = Uint16Array.from(B.reqStart);
export const AI_REQ_COUNT = Uint8Array.from(B.reqCount);
export const GROUP_ALT_START = Uint16Array.from(B.groupAltStart);
export const GROUP_ALT_COUNT = Uint8Array.from(B.groupAltCount);
export const ALT_ATOM_START = Uint16Array.from(B.altAtomStart);
export const ALT_ATOM_COUNT = Uint8Array.from(B.altAtomCount);
/** Invalid pairs of entry e: atoms `AI_EX_START[e] .. + AI_EX_COUNT[e]`. */
export const AI_EX_START = Uint16Array.from(B.exStart);
export const AI_EX_COUNT = Uint8Array.from(B.exCount);
export const ATOM_LO = Uint16Array.from(B.atomLo);
export const ATOM_HI = Uint16Array.from(B.atomHi);
/** Data title per entry (API edge). */
export const AI_TITLES: readonly string[] = B.titles;
/** Mandatory associations per entry in words, e.g. `(01) or (02)` (API edge messages). */
export const AI_REQ_TEXT: readonly string[] = B.reqText;
/** Invalid pairs per entry in words, e.g. `(421)` (API edge messages). */
export const AI_EX_TEXT: readonly string[] = B.exText;
/** AI as its digit string per entry, e.g. `"00"`, `"3302"` (API edge). */
export const AI_STRINGS: readonly string[] = B.ai.map((a, e) =>
  String(a).padStart(B.digits[e]!, '0'),
);

/** Entry number per index-space position ({@link aiIndex}), -1 where no AI is defined. */
export const AI_ENTRY_BY_INDEX: Int16Array = (() => {
  const t = new Int16Array(AI_INDEX_SPACE).fill(-1);
  for (let e = 0; e < AI_COUNT; e++) t[aiIndex(AI_CODE[e]!, AI_DIGITS[e]!)] = e;
  return t;
})();

/** Bits of the entry number in {@link AI_INFO_BY_INDEX}. */
export const INFO_ENTRY_MASK = 0x3ff;
/** Shift of the longest value length (7 bits) in {@link AI_INFO_BY_INDEX}. */
export const INFO_MAX_SHIFT = 10;
/** Shift of the entry flags in {@link AI_INFO_BY_INDEX}. */
export const INFO_FLAGS_SHIFT = 17;
/**
 * Per index-space position ({@link aiIndex}): the entry number, its longest value and its flags
 * in one Int32 (`entry | AI_MAX_LENGTH[entry] << INFO_MAX_SHIFT | AI_FLAGS[entry] <<
 * INFO_FLAGS_SHIFT`), -1 where no AI is defined: the element-string parser's one load per AI.
 */
export const AI_INFO_BY_INDEX: Int32Array = (() => {
  const t = new Int32Array(AI_INDEX_SPACE).fill(-1);
  if (AI_COUNT > INFO_ENTRY_MASK + 1)
    throw new Error('GS1 AI dictionary: too many entries for AI_INFO_BY_INDEX');
  for (let e = 0; e < AI_COUNT; e++) {
    if (
      AI_MAX_LENGTH[e]! >= 1 << (INFO_FLAGS_SHIFT - INFO_MAX_SHIFT) ||
      AI_FLAGS[e]! >= 1 << (31 - INFO_FLAGS_SHIFT)
    )
      throw new Error(`GS1 AI dictionary: entry ${e} does not fit AI_INFO_BY_INDEX`);
    t[aiIndex(AI_CODE[e]!, AI_DIGITS[e]!)] =
      e | (AI_MAX_LENGTH[e]! << INFO_MAX_SHIFT) | (AI_FLAGS[e]! << INFO_FLAGS_SHIFT);
  }
  return t;
})();

/** AI length (2-4) per two-digit prefix 00-99, 0 when no AI starts with the prefix. */
export const AI_LENGTH_BY_PREFIX: Uint8Array = (() => {
  const t = new Uint8Array(100);
  for (let e = 0; e < AI_COUNT; e++) {
    const digits = AI_DIGITS[e]!;
    const prefix = Math.floor(AI_CODE[e]! / 10 ** (digits - 2));
    if (t[prefix] !== 0 && t[prefix] !== digits)
      throw new Error(`GS1 AI dictionary: prefix ${prefix} has AIs of two lengths`);
    t[prefix] = digits;
  }
  return t;
})();

/** Index-space position per entry (for pairing checks). */
export const AI_INDEX = Uint16Array.from(B.ai, (a, e) => aiIndex(a, B.digits[e]!));

/** The entry of the AI written as digits `ai` (API edge), -1 when there is none. */
export function aiEntry(ai: string): number {
  if (!/^[0-9]{2,4}$/.test(ai)) return -1;
  const prefixLen = AI_LENGTH_BY_PREFIX[Number(ai.slice(0, 2))]!;
  return prefixLen === ai.length ? AI_ENTRY_BY_INDEX[aiIndex(Number(ai), ai.length)]! : -1;
}

/**
 * GS1 Digital Link qualifier sequences of primary-key entry e (`dlpkey=22,10,21|235`):
 * sequences `AI_DL_SEQ_START[e] .. + AI_DL_SEQ_COUNT[e]`; sequence q lists the entries
 * `DL_SEQ_ITEMS[DL_SEQ_ITEM_START[q] .. + DL_SEQ_ITEM_COUNT[q]]` in their required order.
 */
export const AI_DL_SEQ_START = Uint16Array.from(B.dlSeqStart);
export const AI_DL_SEQ_COUNT = Uint8Array.from(B.dlSeqCount);
export const DL_SEQ_ITEM_START = Uint16Array.from(B.seqItemStart);
export const DL_SEQ_ITEM_COUNT = Uint8Array.from(B.seqItemCount);
export const DL_SEQ_ITEMS = Int16Array.from(B.seqItems, (ai) => {
  const e = aiEntry(ai);
  if (e < 0) throw new Error(`GS1 AI dictionary: Digital Link qualifier ${ai} is not an AI`);
  return e;
});
