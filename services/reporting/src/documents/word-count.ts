/** UN limits count words as Word does; the national report may have at most 10,700. */
export const NATIONAL_REPORT_WORD_LIMIT = 10_700;

// Han, kana and hangul characters count one word each, as in Word's count; other scripts by spaces.
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/gu;

export function countWords(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const rest = text.replace(CJK, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’.\-/]*/gu)?.length ?? 0;
  return cjk + rest;
}
