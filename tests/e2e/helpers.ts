import { http, waitFor, type Stack } from '@nmirf/testing';

export const MINISTRY = 'Ministry of Justice';

export async function createRecommendation(stack: Stack, paragraph = '143.1'): Promise<string> {
  const created = await http('POST', `${stack.url('recommendations')}/recommendations`, {
    body: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph,
    text: 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
    recommendingStates: ['France', 'Ukraine'],
    position: 'supported',
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/**
 * Creates an action assigned to the ministry. The actions service learns of recommendations through
 * Kafka, so right after a recommendation is created it may still answer 422: wait for it.
 */
export async function createAssignedAction(
  stack: Stack,
  recommendationId: string,
  dueAt: Date,
  title = 'Draft the ratification bill',
) {
  return waitFor('the action to be created', async () => {
    const response = await http('POST', `${stack.url('actions')}/actions`, {
      recommendationId,
      title,
      institution: MINISTRY,
      dueDate: dueAt.toISOString(),
    });
    if (response.status === 422) return undefined;
    if (response.status !== 201)
      throw new Error(`create action: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; status: string };
  });
}

export async function inbox(stack: Stack, institution = MINISTRY) {
  const response = await http(
    'GET',
    `${stack.url('notifications')}/institutions/${encodeURIComponent(institution)}/inbox?limit=500`,
  );
  expect(response.status).toBe(200);
  return response.body as {
    items: Array<{ id: string; kind: string; actionId: string; params: Record<string, unknown> }>;
    total: number;
  };
}

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
