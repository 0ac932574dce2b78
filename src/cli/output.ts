/** Writing results to stdout: JSON documents and text, tolerant of a closed pipe (`| head`). */

export function writeStdout(text: string): void {
  const s = text.endsWith('\n') ? text : `${text}\n`;
  process.stdout.write(s);
}

export function writeJson(doc: unknown): void {
  writeStdout(JSON.stringify(doc, null, 2));
}

/** Terminal width for text output (100 when stdout is not a terminal). */
export function outputWidth(): number {
  const cols = process.stdout.isTTY ? process.stdout.columns : undefined;
  return Math.max(60, cols ?? 100);
}
