import ar from './messages/ar.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ru from './messages/ru.json';
import zh from './messages/zh.json';

/**
 * The inbox texts of `validation_requested` and `returned_for_changes` in the six UN languages, for
 * whoever renders an inbox. A notification keeps data only; `{name}` placeholders are its params.
 */
export const PROGRESS_MESSAGES: Readonly<
  Record<'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es', Record<string, string>>
> = { ar, zh, en, fr, ru, es };

export type ProgressMessageKey = keyof typeof en;

/**
 * The catalogue key of a progress notification: who asks for validation, or who returned the report.
 * A return's `reason`, when there is one, is shown under it with `returned_for_changes.reason`.
 */
export function progressMessageKey(
  kind: 'validation_requested' | 'returned_for_changes',
  by: 'institution_validator' | 'coordinator',
): ProgressMessageKey {
  return `${kind}.${by}`;
}
