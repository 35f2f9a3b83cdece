import '@mctb/testkit';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { MERGE_FIELDS, SAMPLE_MERGE_CONTEXT, type MergeContext } from './merge-fields.js';
import { renderTemplate, TemplateRenderError } from './render.js';
import { validateTemplate } from './validate.js';

const runs = inject('fuzzRuns');

/** Template sources: Liquid-looking fragments mixed with arbitrary text, so both paths are walked. */
const liquidPiece = fc.oneof(
  fc.constantFrom(...MERGE_FIELDS).map((field) => `{{ ${field} }}`),
  fc.constantFrom('{{', '}}', '{%', '%}', '{% if contact.first_name %}', '{% endif %}', '{% for x in (1..5) %}', '{% endfor %}', '| upcase', "| default: 'there'", '{% raw %}', '{% include "x" %}', '{{ custom_values.booking_link }}', '{{ nope.nothing }}', '{% assign a = 1 %}{{ a }}'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const templateSource = fc.array(liquidPiece, { maxLength: 12 }).map((pieces) => pieces.join(''));

const mergeContext: fc.Arbitrary<MergeContext> = fc.record({
  contact: fc.record({ first_name: fc.string({ unit: 'binary', maxLength: 60 }), last_name: fc.string({ maxLength: 60 }), phone: fc.string({ maxLength: 20 }) }),
  location: fc.record({ name: fc.string({ maxLength: 80 }), phone: fc.string({ maxLength: 20 }), booking_link: fc.webUrl() }),
  custom_values: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), fc.string({ maxLength: 100 }), { maxKeys: 4 }),
  call: fc.record({ outcome: fc.constantFrom('no_answer', 'declined', 'voicemail', '') }),
});

describe('templates, fuzzed (fast-check)', () => {
  it('validation never throws; every problem has a message and a 1-based position', () => {
    fc.assert(
      fc.property(templateSource, (source) => {
        const issues = validateTemplate(source, { customValueKeys: ['booking_link'] });
        for (const issue of issues) {
          expect(issue.message.length).toBeGreaterThan(0);
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: runs },
    );
  });

  it('rendering a template that validated either gives a text of at most 1600 characters or a typed render error', async () => {
    await fc.assert(
      fc.asyncProperty(templateSource, mergeContext, async (source, context) => {
        if (validateTemplate(source, { customValueKeys: Object.keys(context.custom_values) }).length > 0) return;
        try {
          const text = await renderTemplate(source, context);
          expect(text.length).toBeLessThanOrEqual(1600);
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateRenderError);
        }
      }),
      { numRuns: runs },
    );
  });

  it('merges any contact name as text, never as template code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (name) => {
        const text = await renderTemplate('Hi {{ contact.first_name }}!', { ...SAMPLE_MERGE_CONTEXT, contact: { ...SAMPLE_MERGE_CONTEXT.contact, first_name: name } });
        expect(text).toBe(`Hi ${name}!`.trim());
      }),
      { numRuns: runs },
    );
  });
});
