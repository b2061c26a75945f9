import { Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { copyField } from './copy-text';
import { goldTexts } from './gold/evaluate';
import { LINK_COPY_COLUMNS, ScoringPool, type Scored } from './scoring-pool';
import { LINK_METHOD, SimilarityIndex, type LinkableText, type LinkCandidate } from './similarity';

const options = { threshold: 0.4, maxPerDoc: 10, decided: [] as string[] };
const inThisThread = (docs: LinkableText[], among?: string[]) =>
  SimilarityIndex.build(docs).candidates({ ...options, among: among && new Set(among) });
/** The COPY lines a thread wrote, without their fresh ids. */
const copied = (scored: Scored) =>
  Buffer.concat(scored.copy)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').slice(1).join('\t'));
const lines = (links: LinkCandidate[]) =>
  links.map((link) =>
    [link.a, link.b, link.score, LINK_METHOD, { json: link.explanation }].map(copyField).join('\t'),
  );

describe('ScoringPool', () => {
  const pool = new ScoringPool();
  afterAll(() => pool.onApplicationShutdown());

  it('writes in its threads the candidates the index finds in this one, each reply to its own request', async () => {
    expect(LINK_COPY_COLUMNS[0]).toBe('id');
    const texts = goldTexts();
    // Requests of different sizes, more than there are threads, so replies come back out of order.
    const requests = [texts, texts.slice(0, 40), texts.slice(100, 300), texts.slice(0, 5), texts.slice(200)];
    const among = texts.slice(10, 20).map((doc) => doc.id);
    const [scored, incremental] = await Promise.all([
      Promise.all(requests.map((docs) => pool.score({ docs, ...options }))),
      pool.score({ docs: texts, ...options, among }),
    ]);
    scored.forEach((result, i) => {
      const expected = inThisThread(requests[i]);
      expect(result.found).toBe(expected.length);
      expect(copied(result)).toEqual(lines(expected));
    });
    expect(scored[0].found).toBeGreaterThan(100);
    expect(copied(incremental)).toEqual(lines(inThisThread(texts, among)));
    expect(incremental.found).toBeLessThan(scored[0].found);
    // Each line has a fresh id.
    const ids = Buffer.concat(scored[0].copy).toString('utf8').split('\n').filter(Boolean);
    expect(new Set(ids.map((line) => line.split('\t')[0])).size).toBe(scored[0].found);
  });

  it('hands back a decided pair found again to be rescored, and writes no line for it', async () => {
    const docs = goldTexts();
    const all = inThisThread(docs);
    const decided = [all[0], all[5]];
    const scored = await pool.score({ docs, ...options, decided: decided.map((l) => `${l.a} ${l.b}`) });
    expect(scored.found).toBe(all.length);
    expect(scored.rescored).toEqual(decided);
    expect(copied(scored)).toEqual(lines(all.filter((link) => !decided.includes(link))));
  });

  it('fails the request a thread cannot score, and goes on scoring the next', async () => {
    const broken = [{ id: 'x', text: undefined }] as unknown as LinkableText[];
    await expect(pool.score({ docs: broken, ...options })).rejects.toThrow(/^scoring thread: /);
    const docs = goldTexts().slice(0, 50);
    expect(copied(await pool.score({ docs, ...options }))).toEqual(lines(inThisThread(docs)));
  });

  it('keeps its threads until the jobs still running at shutdown have finished', async () => {
    const docs = goldTexts().slice(0, 50);
    // A job the worker lets finish when asked to stop (as ImportWorker does) still scores.
    @Injectable()
    class RunningJob implements BeforeApplicationShutdown {
      scored?: Scored;
      constructor(readonly scoring: ScoringPool) {}
      async beforeApplicationShutdown() {
        this.scored = await this.scoring.score({ docs, ...options });
      }
    }
    @Module({ providers: [ScoringPool, RunningJob] })
    class WorkerModule {}
    const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    const job = app.get(RunningJob);
    await app.close();
    expect(copied(job.scored as Scored)).toEqual(lines(inThisThread(docs)));
    await expect(job.scoring.score({ docs, ...options })).rejects.toThrow(/closed/);
  });

  it('refuses work once closed', async () => {
    const closed = new ScoringPool();
    await closed.score({ docs: goldTexts().slice(0, 3), ...options });
    await closed.onApplicationShutdown();
    await expect(closed.score({ docs: goldTexts().slice(0, 3), ...options })).rejects.toThrow(/closed/);
  });
});
