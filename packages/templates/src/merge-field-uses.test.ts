import { describe, expect, it } from 'vitest';
import { mergeFieldUses } from './validate.js';

const fieldsOf = (source: string) => mergeFieldUses(source).map((use) => use.field);

describe('mergeFieldUses', () => {
  it('finds the fields in outputs, filters and tags, with their positions', () => {
    expect(mergeFieldUses('Hi {{ contact.first_name }},\n{% if call.outcome == "voicemail" %}thanks{% endif %}')).toEqual([
      { field: 'contact.first_name', line: 1, column: 7 },
      { field: 'call.outcome', line: 2, column: 7 },
    ]);
    expect(fieldsOf("{{ contact.first_name | default: call.outcome | append: location.name }}")).toEqual([
      'contact.first_name',
      'call.outcome',
      'location.name',
    ]);
  });

  it('reads bracket access and whitespace control', () => {
    expect(fieldsOf("{{- call['outcome'] -}} {%- if business_hours[\"is_open\"] -%}open{%- endif -%}")).toEqual([
      'call.outcome',
      'business_hours.is_open',
    ]);
  });

  it('ignores text outside Liquid, string literals, raw and comment blocks', () => {
    expect(fieldsOf('call.outcome {{ "call.outcome" }} {% raw %}{{ call.outcome }}{% endraw %}{% comment %}{{ call.outcome }}{% endcomment %}')).toEqual([]);
    expect(fieldsOf('{% # call.outcome %}{{ contact.phone }}')).toEqual(['contact.phone']);
  });

  it('skips names the template assigns or loops over, and properties of properties', () => {
    expect(fieldsOf('{% assign call = "x" %}{{ call.outcome }}{% for tag in contact.tags %}{{ tag.name }}{% endfor %}')).toEqual(['contact.tags']);
    expect(fieldsOf('{{ contact.first_name.size }}')).toEqual(['contact.first_name']);
  });
});
