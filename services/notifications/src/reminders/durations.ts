const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const DURATION = /^(\d+)([smhd])$/;

/** "14d" → 1209600. Throws on anything else, so a typo in the environment stops start-up. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration like 30s, 15m, 12h or 14d`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (!Number.isSafeInteger(seconds) || seconds > 2 ** 31 - 1) throw new Error(`"${text}" is too long`);
  return seconds;
}

/** "14d,3d,0s" → [1209600, 259200, 0], longest first. Duplicates are refused: they would share a job id. */
export function parseDurationList(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw new Error(`"${text}" has an empty entry`);
  const seconds = parts.map(parseDuration);
  if (new Set(seconds).size !== seconds.length) throw new Error(`"${text}" lists the same offset twice`);
  return seconds.sort((a, b) => b - a);
}
