import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchema, snapshotJsonSchemaText } from './json-schema.js';

const root = new URL('../../../', import.meta.url);
const starterDirectory = new URL('snapshots/', root);
const starters = readdirSync(starterDirectory).filter((name) => name.endsWith('.yaml'));
const hvacFixture = readFileSync(new URL('../test-fixtures/hvac-v2.yaml', import.meta.url), 'utf8');

const validate = new Ajv({ allErrors: true }).compile(snapshotJsonSchema());

function errorsOf(yamlText: string): string[] {
  if (validate(parse(yamlText))) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`.trim());
}

describe('the JSON Schema for snapshot files', () => {
  it('is committed as the zod schemas generate it (regenerate: npm run snapshot-schema)', () => {
    const committed = readFileSync(new URL(SNAPSHOT_JSON_SCHEMA_PATH, root), 'utf8');
    expect(committed).toBe(snapshotJsonSchemaText());
  });

  it.each(starters)('accepts the starter %s, which points editors at it', (name) => {
    const text = readFileSync(new URL(name, starterDirectory), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./snapshot.schema.json');
    expect(errorsOf(text)).toEqual([]);
  });

  it('accepts a v2 snapshot using every kind of step', () => {
    expect(errorsOf(hvacFixture)).toEqual([]);
  });

  it('accepts wait_for_reply with nothing after it (24h)', () => {
    const starter = readFileSync(new URL('follow-up-and-callback.yaml', starterDirectory), 'utf8');
    const empty = starter.replace('wait_for_reply: 24h', 'wait_for_reply:');
    expect(empty).not.toBe(starter);
    expect(errorsOf(empty)).toEqual([]);
  });

  it('accepts a snapshot without a version (the server assigns the next one)', () => {
    const text = readFileSync(new URL('missed-call-text-back.yaml', starterDirectory), 'utf8').replace(/^ {2}version: 1.*\n/m, '');
    expect(text).not.toContain('version:');
    expect(errorsOf(text)).toEqual([]);
  });

  it('rejects a misspelled key, a bad duration and an unknown apiVersion', () => {
    const starter = readFileSync(new URL('missed-call-text-back.yaml', starterDirectory), 'utf8');
    expect(errorsOf(starter.replace('dedupWindow:', 'dedupWindw:')).join('\n')).toContain('must NOT have additional properties');
    expect(errorsOf(starter.replace('delay: 60s', 'delay: soon'))).not.toEqual([]);
    expect(errorsOf(starter.replace('mctb.dev/v1', 'mctb.dev/v9'))).not.toEqual([]);
  });

  it('rejects an unknown step and a condition with two keys inside a workflow', () => {
    const unknownStep = hvacFixture.replace(/send_sms: in_hours/, 'send_sms_now: in_hours');
    expect(unknownStep).not.toBe(hvacFixture);
    expect(errorsOf(unknownStep)).not.toEqual([]);
    const twoKeys = hvacFixture.replace('{ business_hours: open }', '{ business_hours: open, has_tag: vip }');
    expect(twoKeys).not.toBe(hvacFixture);
    expect(errorsOf(twoKeys)).not.toEqual([]);
  });
});
