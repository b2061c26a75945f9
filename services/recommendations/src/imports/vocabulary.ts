import { resolveGroup, resolveTheme } from '../taxonomy';
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
