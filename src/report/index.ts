import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText, type Colors } from './text.js';
import type { RuleMeta } from './tool.js';
import type { Report } from './types.js';

export type { Report, SideInfo } from './types.js';
export type { Colors } from './text.js';
export type { RuleMeta } from './tool.js';
export { renderText } from './text.js';
export { renderJson, jsonContract } from './json.js';
export { renderGithub, escapeData, escapeProperty, workflowCommand } from './github.js';
export { renderSarif } from './sarif.js';
export { renderMarkdown } from './markdown.js';

import type { FormatName } from './format-names.js';
export { FORMAT_NAMES, type FormatName } from './format-names.js';

export interface RenderOptions {
  /** text only: picocolors `createColors(enabled)`; default no colors */
  colors?: Colors;
  /** sarif only: lint rule metadata for the rules section */
  rules?: readonly RuleMeta[];
  /** sarif only: default the installed pgdrift version */
  toolVersion?: string;
}

/** One Report, five renderers: each a pure function of the report (principle 3 of STYLE.md). */
export function renderReport(report: Report, format: FormatName, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(report, { colors: options.colors });
    case 'json':
      return renderJson(report);
    case 'github':
      return renderGithub(report);
    case 'sarif':
      return renderSarif(report, { rules: options.rules, toolVersion: options.toolVersion });
    case 'markdown':
      return renderMarkdown(report);
  }
}
