// Rows of every kind, made through the APIs before fuzzing: bad requests aim at them half of the time,
// so a bad request that slipped through would change a row the checksums see.
import { randomUUID } from 'node:crypto';
import { awaitImport, http, waitFor, withAuthorization, type Stack } from '@nmirf/testing';
import { createAssignedAction, createRecommendation, inbox } from '../e2e/helpers';
import type { UploadFile } from './upload-files';
import type { KnownIds } from './valid-values';

async function created(what: string, response: { status: number; body: any }): Promise<string> {
  if (response.status >= 300 || typeof response.body?.id !== 'string')
    throw new Error(`Could not create ${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** The recommendations service's import template, a file that imports. */
export async function importTemplate(stack: Stack): Promise<UploadFile> {
  const response = await fetch(`${stack.url('recommendations')}/imports/template`);
  if (!response.ok) throw new Error(`GET /imports/template: ${response.status}`);
  return {
    filename: 'recommendations-template.csv',
    contentType: 'text/csv',
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** A file that each upload operation takes, by operation name. */
export function validUploads(template: UploadFile): Record<string, UploadFile> {
  return {
    'POST /imports': template,
    'POST /institutions/import': {
      filename: 'institutions.csv',
      contentType: 'text/csv',
      bytes: Buffer.from(`id,kind,name_en\r\n${randomUUID()},agency,Fuzzing Office\r\n`),
    },
  };
}

/** Creates one or more rows of each resource and returns their ids, by resource (first path segment). */
export async function createFixtures(stack: Stack, template: UploadFile): Promise<KnownIds> {
  const recommendations = [
    await createRecommendation(stack, '143.1'),
    await createRecommendation(stack, '143.2'),
  ];
  const action = await createAssignedAction(
    stack,
    recommendations[0],
    new Date(Date.now() + 30 * 86_400_000),
  );
  const base = stack.url('recommendations');
  const cluster = await created(
    'a cluster',
    await http('POST', `${base}/clusters`, {
      name: 'Fuzzing targets',
      recommendationIds: [recommendations[0]],
    }),
  );
  const link = await created(
    'a link',
    await http('POST', `${base}/links`, { a: recommendations[0], b: recommendations[1] }),
  );
  const form = new FormData();
  form.set('file', new Blob([template.bytes], { type: template.contentType }), template.filename);
  const imported = await fetch(`${base}/imports`, {
    method: 'POST',
    body: form,
    headers: await withAuthorization(),
  });
  const importId = await created('an import', { status: imported.status, body: await imported.json() });
  // The worker runs it; the fuzzing starts from a settled catalogue.
  await awaitImport(base, importId, { links: true });
  const report = await created(
    'a report',
    await http('POST', `${stack.url('reporting')}/reports`, { kind: 'action-progress', format: 'csv' }),
  );
  const notification = await waitFor('the assignment notification', async () =>
    (await inbox(stack)).items.find((item) => item.actionId === action.id),
  );
  return {
    recommendations,
    actions: [action.id],
    clusters: [cluster],
    links: [link],
    imports: [importId],
    reports: [report],
    notifications: [notification.id],
  };
}
