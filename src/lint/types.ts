export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** One lint finding. Field names are a public JSON contract (`pgdrift lint --format json`). */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  help: string;
  /** relative to the project root */
  file: string;
  line: number;
  column: number;
  /** for schema-level findings: the object, e.g. public.users.organization_id */
  object?: string;
}
