import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string; homepage?: string; repository?: string | { url?: string } };

/** The public home of the project; rule pages live under it at docs/rules/<id>.md. */
const DEFAULT_REPOSITORY = 'https://github.com/pgdrift/pgdrift';

function repositoryUrl(): string {
  const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const url = (repository ?? pkg.homepage ?? DEFAULT_REPOSITORY).replace(/^git\+/, '').replace(/\.git$/, '').replace(/#.*$/, '');
  return /^https?:\/\//.test(url) ? url : DEFAULT_REPOSITORY;
}

/** What SARIF and the Markdown summary say about the tool. */
export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
  /** absolute URL of a rule's documentation page */
  ruleDocsUri(ruleId: string): string;
}

export function toolInfo(version: string = pkg.version): ToolInfo {
  const base = repositoryUrl();
  return {
    name: 'pgdrift',
    version,
    informationUri: base,
    ruleDocsUri: (ruleId) => `${base}/blob/main/docs/rules/${ruleId}.md`,
  };
}

/** A lint rule as renderers see it (from the registry in src/lint/rules). */
export interface RuleMeta {
  id: string;
  description: string;
  /** one sentence: why the rule exists */
  docs?: string;
}
