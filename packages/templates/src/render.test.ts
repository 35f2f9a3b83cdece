import { describe, expect, it } from 'vitest';
import { SAMPLE_MERGE_CONTEXT, type MergeContext } from './merge-fields.js';
import { TemplateRenderError, renderTemplate } from './render.js';

const context: MergeContext = {
  ...SAMPLE_MERGE_CONTEXT,
  custom_values: { booking_link: 'https://book.example/abc' },
};

async function failureOf(promise: Promise<unknown>): Promise<TemplateRenderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TemplateRenderError);
  return error as TemplateRenderError;
}

describe('renderTemplate', () => {
  it('merges fields and falls back to defaults for empty ones, trimming the result', async () => {
    const source = "\n  Hi {{ contact.first_name | default: 'there' }}, {{ location.name }} here. Book: {{ custom_values.booking_link }}  \n";
    expect(await renderTemplate(source, context)).toBe(
      'Hi Jamie, Northside Plumbing here. Book: https://book.example/abc',
    );
    const unknownCaller = { ...context, contact: { first_name: '', last_name: '', phone: '+15555550199' } };
    expect(await renderTemplate(source, unknownCaller)).toMatch(/^Hi there,/);
  });

  it('does not expose inherited properties', async () => {
    expect(await renderTemplate('[{{ contact.constructor }}{{ custom_values.toString }}]', context)).toBe('[]');
  });

  it('refuses a template with an unknown filter', async () => {
    const error = await failureOf(renderTemplate('{{ contact.first_name | shout }}', context));
    expect(error.failure).toBe('syntax');
    expect(error.message).toBe('template does not parse: undefined filter: shout (line 1, column 1)');
  });

  it('refuses to load files', async () => {
    const error = await failureOf(renderTemplate('{% include "/etc/passwd" %}', context));
    expect(error.message).toMatch(/"include" tag is not allowed/);
  });

  it('stops a template that would loop a hundred million times', async () => {
    const error = await failureOf(renderTemplate('{% for i in (1..100000000) %}{{ i }}{% endfor %}', context));
    expect(['time_limit', 'memory_limit']).toContain(error.failure);
  });

  it('renders a template again when the process stalled during its render (a pause is not a slow template)', async () => {
    // The first read of the name stalls the process for 150 ms, as a garbage collection or a starved CPU would.
    let stalls = 1;
    const contact = { ...context.contact };
    Object.defineProperty(contact, 'first_name', {
      enumerable: true,
      get() {
        if (stalls-- > 0) {
          const until = Date.now() + 150;
          while (Date.now() < until);
        }
        return 'Jamie';
      },
    });
    expect(await renderTemplate('Hi {{ contact.first_name }}, sorry we missed you!', { ...context, contact })).toBe('Hi Jamie, sorry we missed you!');
  });

  it('stops a template that keeps rendering past its time budget', async () => {
    const source = '{% for i in (1..5000) %}{% for j in (1..5000) %}{% endfor %}{% endfor %}';
    const error = await failureOf(renderTemplate(source, context));
    expect(error).toMatchObject({ failure: 'time_limit', message: 'template took longer than 100 ms to render' });
  });

  it('refuses output longer than 1600 characters', async () => {
    const error = await failureOf(renderTemplate('{% for i in (1..161) %}0123456789{% endfor %}', context));
    expect(error).toMatchObject({
      failure: 'too_long',
      message: 'rendered message is 1610 characters long; the limit is 1600',
    });
    expect(await renderTemplate('{% for i in (1..160) %}0123456789{% endfor %}', context)).toHaveLength(1600);
  });

  it('renders the same template again from its parsed form', async () => {
    const source = 'Thanks {{ contact.first_name }}';
    expect(await renderTemplate(source, context)).toBe('Thanks Jamie');
    const other = { ...context, contact: { ...context.contact, first_name: 'Ana' } };
    expect(await renderTemplate(source, other)).toBe('Thanks Ana');
  });
});
