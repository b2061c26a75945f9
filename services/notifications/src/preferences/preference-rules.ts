import {
  ALWAYS_ON,
  CADENCES,
  DEFAULT_CADENCE,
  MAIL_KINDS,
  type Cadence,
  type MailKind,
} from '../email/mail-kinds';

export interface PreferenceChange {
  kind: string;
  cadence: string;
}

export type PreferenceProblem = { field: string; message: string };

/** Why a set of changes cannot be applied, in words a person can act on; empty when it can. */
export function preferenceProblems(changes: PreferenceChange[]): PreferenceProblem[] {
  const problems: PreferenceProblem[] = [];
  const seen = new Set<string>();
  changes.forEach(({ kind, cadence }, index) => {
    const field = `preferences.${index}`;
    if (!(MAIL_KINDS as readonly string[]).includes(kind))
      problems.push({ field: `${field}.kind`, message: `kind must be one of ${MAIL_KINDS.join(', ')}` });
    if (!(CADENCES as readonly string[]).includes(cadence))
      problems.push({ field: `${field}.cadence`, message: `cadence must be one of ${CADENCES.join(', ')}` });
    if (cadence === 'off' && ALWAYS_ON.has(kind as MailKind))
      problems.push({
        field: `${field}.cadence`,
        message: `${kind} mails cannot be turned off: late work must reach someone (choose immediate, daily or weekly)`,
      });
    if (seen.has(kind)) problems.push({ field: `${field}.kind`, message: `${kind} is given twice` });
    seen.add(kind);
  });
  return problems;
}

/** Every kind of mail with its cadence: the stored choice, else immediate. */
export function effectivePreferences(stored: Array<{ mailKind: MailKind; cadence: Cadence }>) {
  const chosen = new Map(stored.map((row) => [row.mailKind, row.cadence]));
  return MAIL_KINDS.map((kind) => ({
    kind,
    cadence: chosen.get(kind) ?? DEFAULT_CADENCE,
    canTurnOff: !ALWAYS_ON.has(kind),
  }));
}
