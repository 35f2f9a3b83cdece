import { describe, expect, it } from 'vitest';
import { keywordIntent } from './opt-out.js';

describe('keywordIntent', () => {
  it.each(['STOP', 'stop', '  Stop. ', 'STOPALL', 'unsubscribe', 'Cancel!', 'end', 'QUIT', 'revoke', 'OPTOUT', 'opt out', 'Opt-Out'])(
    '%j opts out',
    (body) => expect(keywordIntent(body)).toBe('opt_out'),
  );
  it.each(['START', 'unstop', 'Yes!'])('%j opts back in', (body) => expect(keywordIntent(body)).toBe('opt_in'));
  it.each(['HELP', 'info?'])('%j asks for help', (body) => expect(keywordIntent(body)).toBe('help'));
  it.each(['please stop calling me', 'stop it', 'yes please', 'Hi, can you call me back?'])(
    '%j is a normal message',
    (body) => expect(keywordIntent(body)).toBeNull(),
  );
});
