/** Types of generate.mjs (the bench's history generator), for the tests that reuse it. */
export interface GeneratedFile {
  name: string;
  text: string;
}
export function generateHistory(n: number): GeneratedFile[];
export function writeHistory(root: string, n: number, config?: Record<string, unknown>): string[];
