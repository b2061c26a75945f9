import { CALENDAR_LANGS, CALENDAR_MESSAGES, calendarTranslator } from './calendar-messages';
import { DEADLINE_KINDS } from './reporting-deadline';

const placeholders = (template: string) =>
  [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('calendar message catalogues', () => {
  const reference = CALENDAR_MESSAGES.en;

  it('hold a title and a description for every kind of deadline, and the feed texts', () => {
    const needed = [
      'feed.name',
      'note.estimated',
      ...DEADLINE_KINDS.flatMap((kind) => [`${kind}.title`, `${kind}.description`]),
    ];
    expect(Object.keys(reference).sort()).toEqual(needed.sort());
  });

  it.each(CALENDAR_LANGS)('%s has every key, no other, each with the same placeholders', (lang) => {
    const catalogue = CALENDAR_MESSAGES[lang];
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(reference).sort());
    for (const [key, template] of Object.entries(reference)) {
      expect(catalogue[key].trim()).not.toBe('');
      expect([key, placeholders(catalogue[key])]).toEqual([key, placeholders(template)]);
      if (lang !== 'en' && !/^\{\w+\}\W*\{\w+\}$/.test(template)) {
        expect([key, catalogue[key]]).not.toEqual([key, template]);
      }
    }
  });
});

describe('the calendar translator', () => {
  const followUp = {
    key: 'tb_follow_up_report.description' as const,
    params: { body: 'CAT', source: 'CAT/C/SVN/CO/4', paragraphs: ['9', '17', '31'] },
  };

  it('fills the parameters and joins lists the way each language does', () => {
    expect(calendarTranslator('en')(followUp)).toBe(
      'Information to CAT on the recommendations in paragraphs 9, 17, and 31 of the concluding observations CAT/C/SVN/CO/4.',
    );
    expect(calendarTranslator('fr')(followUp)).toContain(
      'des paragraphes 9, 17 et 31 des observations finales',
    );
    expect(calendarTranslator('zh')(followUp)).toBe(
      '就结论性意见CAT/C/SVN/CO/4第9、17和31段所载建议向CAT提供的资料。',
    );
    expect(calendarTranslator('ar')(followUp)).toContain('الفقرات 9 و17 و31');
  });

  it('throws on a missing parameter rather than show a placeholder', () => {
    expect(() => calendarTranslator('ru')({ key: 'upr_review.title', params: {} })).toThrow(
      'Calendar message "upr_review.title" needs the parameter "cycle"',
    );
  });
});
