import { describe, expect, it } from 'vitest';
import { messageSegments } from './segments.js';

const a = (n: number) => 'a'.repeat(n);
const pl = (n: number) => 'ł'.repeat(n);

describe('messageSegments', () => {
  it('fits 160 GSM-7 characters in one segment and splits 161 into two parts of at most 153', () => {
    expect(messageSegments(a(160))).toEqual({ encoding: 'GSM-7', characters: 160, units: 160, segments: 1, nonGsmCharacters: [], warnings: [] });
    const over = messageSegments(a(161));
    expect(over).toMatchObject({ encoding: 'GSM-7', characters: 161, units: 161, segments: 2 });
    expect(over.warnings).toEqual(['the message needs 2 SMS segments (161 GSM-7 characters, over 160; 153 per part); each segment is billed as one text']);
    expect(messageSegments(a(306)).segments).toBe(2);
    expect(messageSegments(a(307)).segments).toBe(3);
  });

  it('counts each extension character (€ { } [ ] ~ ^ \\ |) as two and stays GSM-7', () => {
    expect(messageSegments('€{}[]~^\\|')).toMatchObject({ encoding: 'GSM-7', characters: 9, units: 18, segments: 1, warnings: [] });
    expect(messageSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(messageSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    expect(messageSegments(`${a(159)}|`)).toMatchObject({ characters: 160, units: 161, segments: 2 });
  });

  it('keeps the GSM 03.38 basic set, accents and Greek capitals included, in GSM-7', () => {
    expect(messageSegments('Ça va, 5 € à Zürich? ¡Sì! ΔΦΓΛΩΠΨΣΘΞ @£$¥ èéùìò\nØøÅåÆæßÉ')).toMatchObject({ encoding: 'GSM-7', nonGsmCharacters: [] });
  });

  it('switches to UCS-2 for one emoji and names it', () => {
    const hi = messageSegments('Hi 👋');
    expect(hi).toMatchObject({ encoding: 'UCS-2', characters: 4, units: 5, segments: 1, nonGsmCharacters: ['👋'] });
    expect(hi.warnings).toEqual(['UCS-2 encoding (70 characters per segment instead of 160) because of "👋" (U+1F44B)']);
    // The same 160 letters that fit one GSM-7 segment take three UCS-2 parts with an emoji.
    expect(messageSegments(`${a(158)} 👋`)).toMatchObject({ encoding: 'UCS-2', units: 161, segments: 3 });
  });

  it('names a curly quote (a common paste from a word processor) as what forced UCS-2', () => {
    const quoted = messageSegments('We’re sorry we missed you – call us back “anytime”');
    expect(quoted.encoding).toBe('UCS-2');
    expect(quoted.nonGsmCharacters).toEqual(['’', '–', '“', '”']);
    expect(quoted.warnings[0]).toBe('UCS-2 encoding (70 characters per segment instead of 160) because of "’" (U+2019), "–" (U+2013), "“" (U+201C), "”" (U+201D)');
  });

  it('fits 70 UCS-2 units in one segment, 71 in two, 134 in two and 135 in three (67 per part)', () => {
    expect(messageSegments(pl(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1, warnings: [expect.stringContaining('"ł" (U+0142)')] });
    expect(messageSegments(pl(71))).toMatchObject({ units: 71, segments: 2 });
    expect(messageSegments(pl(134))).toMatchObject({ units: 134, segments: 2 });
    expect(messageSegments(pl(135))).toMatchObject({ units: 135, segments: 3 });
  });

  it('never splits a surrogate pair between two segments', () => {
    // 66 units, then an emoji (2 units) that does not fit the first part's 67: it moves whole to the
    // second, which then holds 2 + 66 = 68 > 67 units, so a third part is needed (cutting the
    // pair would have made it two).
    const text = `${pl(66)}👋${pl(66)}`;
    expect(text.length).toBe(134);
    expect(messageSegments(text)).toMatchObject({ encoding: 'UCS-2', units: 134, segments: 3 });
  });

  it('counts a composed emoji as one character and all of its code units', () => {
    expect(messageSegments('👨‍👩‍👧 hi')).toMatchObject({ encoding: 'UCS-2', characters: 4, units: 11, segments: 1, nonGsmCharacters: ['👨‍👩‍👧'] });
  });

  it('treats an empty text as one empty segment', () => {
    expect(messageSegments('')).toEqual({ encoding: 'GSM-7', characters: 0, units: 0, segments: 1, nonGsmCharacters: [], warnings: [] });
  });
});
