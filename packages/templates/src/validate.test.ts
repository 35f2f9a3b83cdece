import { describe, expect, it } from 'vitest';
import { validateTemplate } from './validate.js';

const declared = { customValueKeys: ['booking_link', 'sign_off'] };

describe('validateTemplate', () => {
  it('accepts every merge field, declared custom values and filters', () => {
    const source = [
      "Hi {{ contact.first_name | default: 'there' }} {{ contact.last_name }} ({{ contact.phone }}),",
      'sorry {{ location.name }} missed your {{ call.outcome }} call. Call {{ location.phone }}',
      'or book {{ location.booking_link }} / {{ custom_values.booking_link }} - {{ custom_values.sign_off | upcase }}',
      '{% if contact.first_name.size > 0 %}!{% endif %}',
    ].join('\n');
    expect(validateTemplate(source, declared)).toEqual([]);
  });

  it('allows variables the template assigns, captures or loops over', () => {
    const source = [
      '{% assign name = contact.first_name | default: "there" %}{% capture greeting %}Hi {{ name }}{% endcapture %}',
      '{{ greeting }}{% for word in (1..3) %}{{ word }}{{ forloop.index }}{% endfor %}',
    ].join('\n');
    expect(validateTemplate(source, declared)).toEqual([]);
  });

  it('reports each unknown merge field at its position', () => {
    const source = 'Hi {{ contact.nickname }},\n  see you at {{ location.address }} {{ coupon }}';
    expect(validateTemplate(source, declared)).toEqual([
      { message: 'unknown merge field "contact.nickname"', line: 1, column: 7 },
      { message: 'unknown merge field "location.address"', line: 2, column: 17 },
      { message: 'unknown merge field "coupon"', line: 2, column: 40 },
    ]);
  });

  it('rejects whole objects and computed field names, which cannot be checked', () => {
    const issues = validateTemplate('{{ contact }} {{ custom_values[key] }}', declared).map((issue) => issue.message);
    expect(issues).toEqual([
      'unknown merge field "contact"',
      'unknown merge field "custom_values[key]"',
      'unknown merge field "key"',
    ]);
  });

  it('reports a custom value the snapshot does not declare', () => {
    expect(validateTemplate('Use code {{ custom_values.coupon }}', declared)).toEqual([
      { message: 'custom value "coupon" is not declared by the snapshot', line: 1, column: 13 },
    ]);
  });

  it('reports a variable read before the template assigns it', () => {
    expect(validateTemplate('{{ name }}{% assign name = "x" %}{{ name }}', declared)).toEqual([
      { message: 'unknown merge field "name"', line: 1, column: 4 },
    ]);
  });

  it.each([
    ['Hi {{ contact.first_name', 1, 4, /not closed/],
    ['Hi\n  {% if contact.first_name %}there', 2, 3, /not closed/],
    ['Hi\n\n {% greet %}', 3, 2, /tag "greet" not found/],
    ['Hi {{ contact.first_name | shout }}', 1, 4, /undefined filter: shout/],
  ])('reports the syntax error in %j with its position', (source, line, column, message) => {
    const issues = validateTemplate(source, declared);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line, column, message: expect.stringMatching(message) });
    expect(issues[0]?.message).not.toMatch(/line:/);
  });

  it.each(['include', 'render', 'layout'])('rejects the %s tag, which would read files', (tag) => {
    expect(validateTemplate(`Hi\n {% ${tag} "footer" %}`, declared)).toEqual([
      { message: `the "${tag}" tag is not allowed: message templates cannot load other files`, line: 2, column: 2 },
    ]);
  });

  it('rejects a file tag nested inside a liquid block', () => {
    const issues = validateTemplate('{% liquid\n  if true\n    render "footer"\n  endif\n%}', declared);
    expect(issues).toEqual([expect.objectContaining({ message: expect.stringContaining('"render" tag is not allowed') })]);
  });

  it('rejects an oversized template without parsing it', () => {
    expect(validateTemplate('x'.repeat(10_001), declared)).toEqual([
      { message: 'template is 10001 characters long; the limit is 10000', line: 1, column: 1 },
    ]);
  });
});
