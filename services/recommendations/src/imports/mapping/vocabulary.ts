import { resolveGroup, resolveTheme, suggestConcept } from '../../taxonomy/themes';
import { unique } from './cells';

/** The file is readable but laid out as none of the formats we know. */
export class WrongLayoutError extends Error {
  readonly code = 'wrong_layout';
}

/** Theme and group labels as given, plus the concept keys they resolve to (unknown labels are kept as labels). */
export function classifyThemes(themeLabels: string[], groupLabels: string[], cycle: number | null) {
  return {
    themes: unique(themeLabels.map((label) => resolveTheme(label, cycle ?? undefined)?.key).filter(isKey)),
    themeLabels: unique(themeLabels),
    groups: unique(groupLabels.map((label) => resolveGroup(label)?.key).filter(isKey)),
    groupLabels: unique(groupLabels),
  };
}

const isKey = (key: string | undefined): key is string => key !== undefined;

/**
 * A warning for each label that resolves to no concept: it is kept, but no theme or group filter
 * finds the recommendation by it. Suggests the close concept where there is one.
 */
export function unmatchedLabelWarnings(
  themeLabels: string[],
  groupLabels: string[],
  cycle: number | null,
): string[] {
  const warn = (kind: 'theme' | 'group', label: string): string => {
    const noun = kind === 'theme' ? 'theme' : 'group of persons';
    const suggestion = suggestConcept(kind, label);
    const hint = !suggestion
      ? ` GET /taxonomies/${kind}s lists the known ones.`
      : suggestion.kind === kind
        ? ` Did you mean "${suggestion.label}"?`
        : ` "${suggestion.label}" is a ${suggestion.kind === 'theme' ? 'theme' : 'group of persons'}: did you mean it there?`;
    return `The ${noun} "${label}" matches no ${noun} of the catalogue: it is kept as a label, but no filter finds it.${hint}`;
  };
  return [
    ...unique(themeLabels)
      .filter((label) => !resolveTheme(label, cycle ?? undefined))
      .map((label) => warn('theme', label)),
    ...unique(groupLabels)
      .filter((label) => !resolveGroup(label))
      .map((label) => warn('group', label)),
  ];
}
