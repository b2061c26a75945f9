import type { Principal } from '@nmirf/platform';
import { isTimeZone, languageOf } from './languages';
import { tokenContact } from './recipients.service';

const principal = (contact: Principal['contact'], kind: Principal['kind'] = 'user'): Principal => ({
  subject: 'sub-1',
  name: 'Petra Zupan',
  kind,
  roles: new Set(['focal_point']),
  institutions: ['Ministry of Interior'],
  scopes: new Set(),
  contact,
});

describe('a profile from the token’s standard claims', () => {
  it('takes the address, one of the six languages and a known time zone', () => {
    expect(
      tokenContact(principal({ email: 'p@interior.example', locale: 'fr-CA', zoneinfo: 'America/Toronto' })),
    ).toEqual({ email: 'p@interior.example', language: 'fr', timeZone: 'America/Toronto' });
  });

  it('leaves out a language outside the six, an unknown zone and a malformed address', () => {
    expect(
      tokenContact(principal({ email: 'not an address', locale: 'de-DE', zoneinfo: 'Mars/Olympus' })),
    ).toBeUndefined();
    expect(tokenContact(principal({ email: 'p@interior.example', locale: 'sl' }))).toEqual({
      email: 'p@interior.example',
    });
  });

  it('ignores service accounts, which are nobody to write to', () => {
    expect(tokenContact(principal({ email: 'robot@example.org' }, 'service'))).toBeUndefined();
  });

  it.each([
    ['ar-EG', 'ar'],
    ['zh_Hans', 'zh'],
    ['RU', 'ru'],
    ['es-419', 'es'],
    ['pt-BR', undefined],
  ])('reads the locale %s as %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });

  it('knows a zone it accepted before, and still refuses an unknown one asked twice', () => {
    expect(isTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
