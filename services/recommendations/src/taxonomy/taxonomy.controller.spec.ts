import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { strictValidationPipe } from '@nmirf/platform';
import { TaxonomyModule } from './taxonomy.module';

describe('TaxonomyController', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [TaxonomyModule] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalPipes(strictValidationPipe());
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/taxonomies`;
  });

  afterAll(() => app.close());

  const get = async (path: string) => {
    const response = await fetch(`${base}/${path}`);
    return { status: response.status, body: (await response.json()) as any };
  };

  it.each([
    ['mechanisms', 'code'],
    ['states', 'code'],
    ['regional-groups', 'code'],
    ['themes', 'key'],
    ['groups', 'key'],
    ['sdgs/goals', 'code'],
    ['sdgs/targets', 'code'],
    ['sdgs/indicators', 'code'],
    ['upr/cycles', 'code'],
  ])('GET %s lists items with a label, in English by default', async (path, id) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(body).toMatchObject({ lang: 'en', dir: 'ltr' });
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) {
      expect(typeof item.label).toBe('string');
      expect(typeof item[id]).toBe('string');
    }
  });

  it('answers in Arabic, right to left', async () => {
    const { status, body } = await get('sdgs/goals?lang=ar');
    expect(status).toBe(200);
    expect(body.dir).toBe('rtl');
    expect(body.items).toHaveLength(17);
    expect(body.items[4].label).toMatch(/[\u0600-\u06FF]/);
    const states = await get('states?lang=ar');
    expect(states.body.dir).toBe('rtl');
    expect(states.body.items).toHaveLength(195);
  });

  it('filters SDG targets by goal and indicators by target', async () => {
    const targets = await get('sdgs/targets?goal=16&lang=fr');
    expect(targets.body.items.map((t: any) => t.code)).toContain('16.a');
    expect(targets.body.items).toHaveLength(12);
    const indicators = await get('sdgs/indicators?target=16.3');
    expect(indicators.body.items.map((i: any) => i.code)).toEqual(['16.3.1', '16.3.2', '16.3.3']);
  });

  it('falls back to English for Special Procedures and says so', async () => {
    const { body } = await get('mechanisms?lang=ru&kind=special_procedure');
    expect(body.items[0]).toMatchObject({ kind: 'special_procedure', labelLang: 'en' });
    const tb = await get('mechanisms?lang=ru&kind=treaty_body');
    expect(tb.body.items.find((m: any) => m.code === 'CAT')).toMatchObject({
      label: 'Комитет против пыток',
      labelLang: 'ru',
    });
  });

  it.each(['lang=de', 'lang=', 'lang=EN', 'goal=18', 'kind=court'])('rejects ?%s with 400', async (query) => {
    const path = query.startsWith('goal') ? 'sdgs/targets' : 'mechanisms';
    expect((await get(`${path}?${query}`)).status).toBe(400);
  });
});
