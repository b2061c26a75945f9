/** Institution id → parent id (null at the top); keys in lower case, as ids compare case-insensitively. */
export type ParentMap = ReadonlyMap<string, string | null>;

const key = (id: string) => id.toLowerCase();

/** The ids of a loop that giving `id` the parent `parentId` would close, or undefined when none. */
export function cycleThrough(id: string, parentId: string | null, parents: ParentMap): string[] | undefined {
  const path = [id];
  const seen = new Set([key(id)]);
  for (let current = parentId; current !== null; current = parents.get(key(current)) ?? null) {
    path.push(current);
    if (seen.has(key(current))) return path;
    seen.add(key(current));
  }
  return undefined;
}

/**
 * The drafts in an order where each parent comes before its children (parents outside the list are
 * taken to exist already), so rows can be inserted one by one. Throws on a loop; check with
 * `cycleThrough` first to say where it is.
 */
export function parentsFirst<T extends { id: string; parentId: string | null }>(drafts: readonly T[]): T[] {
  const byId = new Map(drafts.map((draft) => [key(draft.id), draft]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (draft: T) => {
    const id = key(draft.id);
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`The institutions loop through ${draft.id}`);
    state.set(id, 'visiting');
    const parent = draft.parentId === null ? undefined : byId.get(key(draft.parentId));
    if (parent) visit(parent);
    state.set(id, 'done');
    ordered.push(draft);
  };
  drafts.forEach(visit);
  return ordered;
}
