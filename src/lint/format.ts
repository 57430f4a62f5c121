import type { Finding } from './types.js';

/** Plain text, one finding per line (`file:line:column  severity  rule  message`) with the help indented below. */
export function formatFindingsText(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const help = f.help
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n');
      return `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule}  ${f.message}\n${help}`;
    })
    .join('\n');
}
