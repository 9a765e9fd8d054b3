/** `--seed`: a non-negative integer, or any other text (a git commit hash works, as in TigerBeetle). */
export function parseSeed(text: string): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  if (text.trim() === '') throw new Error(`--seed: expected a number or a word, found '${text}'`);
  return text;
}
