import { describe, expect, it } from 'vitest';
import { runnerByName } from '../../src/runners/index.js';
import { lintMemory } from '../fixtures/lint/helpers.js';

// Field (baptisteArno/typebot.io, Prisma): a migration.sql with BEGIN ... COMMIT around its enum change and more
// statements after it. The finding said Prisma opens no transaction of its own, and its help then said "let the
// runner's transaction cover the file ... (use the runner's own opt-out directive)": Prisma has neither. The help names
// what the project's runner does for a statement that must run outside a transaction.
const file = 'BEGIN;\nCREATE TYPE "Plan_new" AS ENUM (\'FREE\', \'PRO\');\nCOMMIT;\n\nCREATE TABLE "Workspace" (id text PRIMARY KEY);\n';

describe('transaction-control help under Prisma', () => {
  it("names Prisma's way (a migration.sql of its own), not a runner transaction or directive Prisma lacks", () => {
    const findings = lintMemory({ '20220918083055_add_usage_based_pricing/migration.sql': file }, { rules: ['transaction-control'], options: { runner: runnerByName('prisma') } });
    expect(findings).toHaveLength(2);
    for (const finding of findings) {
      expect(finding.help).not.toContain("runner's transaction");
      expect(finding.help).not.toContain('opt-out directive');
      expect(finding.help).toContain('put it alone in its own migration.sql');
    }
  });
});
