/** The report formats, in their own module so the CLI can define `--format` without loading the renderers. */
export const FORMAT_NAMES = ['text', 'json', 'github', 'sarif', 'markdown'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
