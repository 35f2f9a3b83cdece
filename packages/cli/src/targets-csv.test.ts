import { describe, expect, it } from 'vitest';
import { parseTargetsCsv, TargetsCsvError } from './targets-csv.js';

function problemsOf(text: string): string[] {
  try {
    parseTargetsCsv(text, 'clients.csv');
  } catch (error) {
    if (error instanceof TargetsCsvError) return error.problems;
    throw error;
  }
  throw new Error('expected the CSV to be refused');
}

describe('reading provisioning targets from CSV', () => {
  it('reads existing sub-accounts with their custom values; an empty cell leaves a value to its default', () => {
    const targets = parseTargetsCsv('subAccountId,booking_link,sign_off\nsa_1,https://book.example/a,Ann\nsa_2,https://book.example/b,\n', 'clients.csv');
    expect(targets).toEqual([
      { line: 2, input: { subAccountId: 'sa_1', customValues: [{ key: 'booking_link', value: 'https://book.example/a' }, { key: 'sign_off', value: 'Ann' }] } },
      { line: 3, input: { subAccountId: 'sa_2', customValues: [{ key: 'booking_link', value: 'https://book.example/b' }] } },
    ]);
  });

  it('reads new sub-accounts, quoted cells and an optional ring timeout', () => {
    const csv = [
      'name,timeZone,twilioNumber,forwardingNumber,incomingCallTimeout,booking_link',
      '"Acme Plumbing, Austin",America/Chicago,+15125550101,+15125550901,20,https://book.example/acme',
      'Zed Dental,America/New_York,+12125550102,+12125550902,,https://book.example/zed',
    ].join('\r\n');
    const [acme, zed] = parseTargetsCsv(csv, 'clients.csv');
    expect(acme?.input.newSubAccount).toEqual({
      name: 'Acme Plumbing, Austin',
      timeZone: 'America/Chicago',
      twilioNumber: '+15125550101',
      forwardingNumber: '+15125550901',
      incomingCallTimeout: 20,
    });
    expect(zed?.input.newSubAccount?.incomingCallTimeout).toBeUndefined();
    expect(zed?.line).toBe(3);
  });

  it('names the line and column of every problem at once', () => {
    const csv = [
      'subAccountId,name,timeZone,twilioNumber,forwardingNumber,incomingCallTimeout',
      ',Acme,America/Chicago,,+15125550901,soon',
      'sa_1,Acme,,,,',
    ].join('\n');
    expect(problemsOf(csv)).toEqual([
      'line 2, column twilioNumber: required for a new sub-account (or give a subAccountId)',
      'line 2, column incomingCallTimeout: "soon" is not a whole number of seconds',
      "line 3: give either subAccountId or the new sub-account's name, not both",
    ]);
  });

  it('refuses a header without a way to find or create sub-accounts, and unknown or repeated columns', () => {
    expect(problemsOf('booking_link\nhttps://x\n')).toEqual([
      'line 1: needs a subAccountId column (existing sub-accounts) or name, timeZone, twilioNumber, forwardingNumber columns (new ones)',
    ]);
    expect(problemsOf('subAccountId,Booking Link,subAccountId\nsa_1,x,y\n')).toEqual([
      'line 1: column "Booking Link" is neither a sub-account field (subAccountId, name, timeZone, twilioNumber, forwardingNumber, incomingCallTimeout) nor a custom value key (lowercase, digits, _)',
      'line 1: column "subAccountId" appears twice',
    ]);
  });

  it('refuses an empty file, a header alone and a row with a missing cell', () => {
    expect(problemsOf('')).toEqual(['the file is empty: it needs a header row and one row per target']);
    expect(problemsOf('subAccountId,booking_link\n')).toEqual(['no targets: add one row per sub-account under the header']);
    const [ragged] = problemsOf('subAccountId,booking_link\nsa_1\n');
    expect(ragged).toMatch(/line 2/);
  });
});
