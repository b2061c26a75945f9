import ar from './messages/ar.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ru from './messages/ru.json';
import zh from './messages/zh.json';

/**
 * The texts of `comment_mention` and `comment_posted` in the six UN languages, for whoever renders an
 * inbox (the UI, e-mail). A notification keeps data only; `{name}` placeholders are its params.
 */
export const COMMENT_MESSAGES: Readonly<
  Record<'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es', Record<string, string>>
> = { ar, zh, en, fr, ru, es };

export type CommentMessageKey = keyof typeof en;

/** The catalogue key of a comment notification: a mention reads differently for a user, an institution, the coordinator. */
export function commentMessageKey(
  kind: 'comment_mention' | 'comment_posted',
  mentionedAs?: 'user' | 'institution' | 'coordinator',
): CommentMessageKey {
  return kind === 'comment_posted' ? 'comment_posted' : `comment_mention.${mentionedAs ?? 'institution'}`;
}
