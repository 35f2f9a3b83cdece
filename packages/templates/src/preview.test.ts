import { describe, expect, it } from 'vitest';
import { SAMPLE_MERGE_CONTEXT } from './merge-fields.js';
import { previewTemplate } from './preview.js';

describe('previewTemplate', () => {
  it('reports one GSM-7 segment without warnings for a short text', async () => {
    const preview = await previewTemplate('Hi {{ contact.first_name }}, we missed your call!', SAMPLE_MERGE_CONTEXT);
    expect(preview).toEqual({
      text: 'Hi Jamie, we missed your call!',
      segments: { encoding: 'GSM-7', characters: 30, units: 30, segments: 1, nonGsmCharacters: [], warnings: [] },
      warnings: [],
    });
  });

  it('warns when the text needs more than one segment', async () => {
    const preview = await previewTemplate('{{ location.name }} '.repeat(10), SAMPLE_MERGE_CONTEXT);
    expect(preview.segments).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(preview.warnings).toEqual(['the message needs 2 SMS segments (189 GSM-7 characters, over 160; 153 per part); each segment is billed as one text']);
  });

  it('explains why an emoji makes a short text take two segments', async () => {
    const preview = await previewTemplate(`${'a'.repeat(70)} 👋`, SAMPLE_MERGE_CONTEXT);
    expect(preview.segments).toMatchObject({ encoding: 'UCS-2', segments: 2, nonGsmCharacters: ['👋'] });
    expect(preview.warnings[0]).toBe('UCS-2 encoding (70 characters per segment instead of 160) because of "👋" (U+1F44B)');
    expect(preview.warnings[1]).toMatch(/^the message needs 2 SMS segments/);
  });

  it('warns when the message comes out empty', async () => {
    const preview = await previewTemplate('{% if contact.last_name == "" %}Hi{% endif %}', SAMPLE_MERGE_CONTEXT);
    expect(preview.warnings).toEqual(['the message is empty for this contact']);
  });
});
