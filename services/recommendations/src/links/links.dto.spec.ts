import { strictValidationPipe } from '@nmirf/platform';
import { LinksQuery } from './links.dto';

describe('LinksQuery', () => {
  const pipe = strictValidationPipe();
  const parse = (query: Record<string, string>) =>
    pipe.transform(query, { type: 'query', metatype: LinksQuery });

  it.each([
    ['0', 0],
    ['0.75', 0.75],
    ['1', 1],
  ])('reads minScore=%s as %d', async (text, score) => {
    await expect(parse({ minScore: text })).resolves.toMatchObject({ minScore: score });
  });

  it.each(['', ' ', '0x1', '1e0', ' 0.5', '-0', 'NaN', '1.5', '2'])('refuses minScore=%j', async (text) => {
    await expect(parse({ minScore: text })).rejects.toMatchObject({ status: 400 });
  });
});
