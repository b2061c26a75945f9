import { goldTexts } from './gold/evaluate';
import { ScoringPool } from './scoring-pool';
import { SimilarityIndex, type LinkableText } from './similarity';

const options = { threshold: 0.4, maxPerDoc: 10 };
const inThisThread = (docs: LinkableText[], among?: string[]) =>
  SimilarityIndex.build(docs).candidates({ ...options, among: among && new Set(among) });

describe('ScoringPool', () => {
  const pool = new ScoringPool();
  afterAll(() => pool.onModuleDestroy());

  it('finds in its threads what the index finds in this one, each reply to its own request', async () => {
    const texts = goldTexts();
    // Requests of different sizes, more than there are threads, so replies come back out of order.
    const requests = [texts, texts.slice(0, 40), texts.slice(100, 300), texts.slice(0, 5), texts.slice(200)];
    const among = texts.slice(10, 20).map((doc) => doc.id);
    const [found, incremental] = await Promise.all([
      Promise.all(requests.map((docs) => pool.score({ docs, ...options }))),
      pool.score({ docs: texts, ...options, among }),
    ]);
    expect(found.map((links) => links.length)).toEqual(requests.map((docs) => inThisThread(docs).length));
    found.forEach((links, i) => expect(links).toEqual(inThisThread(requests[i])));
    expect(found[0].length).toBeGreaterThan(100);
    expect(incremental).toEqual(inThisThread(texts, among));
    expect(incremental.length).toBeLessThan(found[0].length);
  });

  it('fails the request a thread cannot score, and goes on scoring the next', async () => {
    const broken = [{ id: 'x', text: undefined }] as unknown as LinkableText[];
    await expect(pool.score({ docs: broken, ...options })).rejects.toThrow(/^scoring thread: /);
    const docs = goldTexts().slice(0, 50);
    expect(await pool.score({ docs, ...options })).toEqual(inThisThread(docs));
  });

  it('refuses work once closed', async () => {
    const closed = new ScoringPool();
    await closed.score({ docs: goldTexts().slice(0, 3), ...options });
    await closed.onModuleDestroy();
    await expect(closed.score({ docs: goldTexts().slice(0, 3), ...options })).rejects.toThrow(/closed/);
  });
});
