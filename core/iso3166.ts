/**
 * ISO 3166-1 country codes as data: the numeric ("num-3") codes that GS1 AIs (421), (422),
 * (423)-(426) and (7030)-(7039) carry, and the alpha-2 codes of AIs (4307), (4317), IBANs
 * (8007) and UPU S10 identifiers.
 *
 * Source: ISO 3166-1:2020 "Codes for the representation of names of countries and their
 * subdivisions - Part 1: Country code", as maintained by the ISO 3166 Maintenance Agency and
 * mirrored by the GS1 Barcode Syntax Dictionary linters `iso3166` / `iso3166alpha2`
 * (github.com/gs1/gs1-syntax-dictionary, 2024). 249 officially assigned codes in each list.
 */

/** The 249 officially assigned ISO 3166-1 numeric codes. */
export const ISO3166_NUMERIC: readonly number[] = [
  4, 8, 10, 12, 16, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 51, 52, 56, 60, 64, 68, 70, 72, 74, 76,
  84, 86, 90, 92, 96, 100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144, 148, 152, 156, 158,
  162, 166, 170, 174, 175, 178, 180, 184, 188, 191, 192, 196, 203, 204, 208, 212, 214, 218, 222,
  226, 231, 232, 233, 234, 238, 239, 242, 246, 248, 250, 254, 258, 260, 262, 266, 268, 270, 275,
  276, 288, 292, 296, 300, 304, 308, 312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348, 352,
  356, 360, 364, 368, 372, 376, 380, 384, 388, 392, 398, 400, 404, 408, 410, 414, 417, 418, 422,
  426, 428, 430, 434, 438, 440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480, 484, 492,
  496, 498, 499, 500, 504, 508, 512, 516, 520, 524, 528, 531, 533, 534, 535, 540, 548, 554, 558,
  562, 566, 570, 574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604, 608, 612, 616, 620,
  624, 626, 630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670, 674, 678, 682,
  686, 688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729, 732, 740, 744, 748, 752,
  756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795, 796, 798, 800, 804, 807, 818, 826,
  831, 832, 833, 834, 840, 850, 854, 858, 860, 862, 876, 882, 887, 894,
];

/** The 249 officially assigned ISO 3166-1 alpha-2 codes, concatenated in pairs. */
export const ISO3166_ALPHA2 =
  'ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCU' +
  'CVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIE' +
  'ILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMT' +
  'MUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSM' +
  'SNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW';

const NUMERIC = new Uint8Array(1000);
for (const n of ISO3166_NUMERIC) NUMERIC[n] = 1;

const ALPHA2 = new Uint8Array(26 * 26);
for (let i = 0; i < ISO3166_ALPHA2.length; i += 2) {
  ALPHA2[(ISO3166_ALPHA2.charCodeAt(i) - 65) * 26 + ISO3166_ALPHA2.charCodeAt(i + 1) - 65] = 1;
}

/** True when `code` (0..999) is an assigned ISO 3166-1 numeric country code. */
export function isIso3166Numeric(code: number): boolean {
  return code >= 0 && code < 1000 && NUMERIC[code] === 1;
}

/**
 * True when `s[at]`, `s[at + 1]` are an assigned ISO 3166-1 alpha-2 code (upper case only, as
 * GS1 and UPU S10 write them).
 */
export function isIso3166Alpha2(s: string, at: number): boolean {
  const a = s.charCodeAt(at) - 65;
  const b = s.charCodeAt(at + 1) - 65;
  return a >= 0 && a < 26 && b >= 0 && b < 26 && ALPHA2[a * 26 + b] === 1;
}
