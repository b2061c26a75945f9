import { bulletList, cleanText, headerKey, parseDateCell, singleValue, stripMarkup } from './cells';

describe('UN export cells', () => {
  it('splits newline lists and drops the "- " bullets', () => {
    expect(bulletList('- Equality & non-discrimination\n- Racial discrimination\n')).toEqual([
      'Equality & non-discrimination',
      'Racial discrimination',
    ]);
    expect(bulletList('')).toEqual([]);
    expect(singleValue('- UPR')).toBe('UPR');
    expect(singleValue('A/HRC/28/15')).toBe('A/HRC/28/15');
  });

  it('keeps a hyphen that is part of the value', () => {
    expect(bulletList('- Economic, social & cultural rights - general measures')).toEqual([
      'Economic, social & cultural rights - general measures',
    ]);
  });

  it('reads Excel serial dates and ISO or day/month/year dates', () => {
    expect(parseDateCell('41985')).toBe('2014-12-12');
    expect(parseDateCell('43849.5')).toBe('2020-01-19');
    expect(parseDateCell('2019-12-19')).toBe('2019-12-19');
    expect(parseDateCell('19/12/2019')).toBe('2019-12-19');
    expect(parseDateCell('')).toBeNull();
    expect(parseDateCell('31/02/2019')).toBeUndefined();
    expect(parseDateCell('next week')).toBeUndefined();
  });

  it('matches headers whatever their case, spacing or punctuation', () => {
    expect(headerKey('Reccomending Body')).toBe(headerKey(' reccomending_body'));
    expect(headerKey('OHCHR Annotation Id')).toBe('ohchrannotationid');
  });

  it('reads "Date of publication on UHRI" with its time of day as the day', () => {
    expect(parseDateCell('46125.4996282407')).toBe('2026-04-13');
  });

  it('keeps the text of a cell with HTML markup, and only the text', () => {
    const text = (cell: string) => cleanText(stripMarkup(cell));
    expect(
      text(
        '<p>49. The Committee <strong>recommends</strong> that the State&nbsp;party:</p><ul><li>(a) adopt&hellip;</li></ul>',
      ),
    ).toBe('49. The Committee recommends that the State party: (a) adopt…');
    expect(
      text(
        '<p>Ban <script>alert(1)</script>corporal punishment &amp; <b onclick="x()">abuse</b><!-- x --></p>',
      ),
    ).toBe('Ban corporal punishment & abuse');
    expect(text('<P CLASS="a">Ratify&#160;the&#x20;Convention</P><br/>')).toBe('Ratify the Convention');
    expect(stripMarkup('Children &lt;script&gt; stay text')).toBe('Children <script> stay text');
  });

  it('leaves a text without markup as it is, "<" and "&" included', () => {
    const plain = 'Raise the age of marriage for children < 18 & protect them; see A/HRC/28/15 <para. 3>';
    expect(stripMarkup(plain)).toBe(plain);
  });
});
