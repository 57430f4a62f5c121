import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'version-order',
  scope: 'project',
  description: "Sorting the file names gives another order than the runner's version order",
  defaultSeverity: 'warning',
  docs: 'Unpadded numbers (9_x before 10_x), Flyway versions (V1_10 after V1_9) and ids like 00010 are applied in version order, but editors, `ls` and reviewers list them by name: people read the history in the wrong order.',
  check({ files, options, report }) {
    if (options.runner?.name === 'numbered' || !options.runner) return; // the numbered runner applies name order itself
    if (options.runner.lint.nameOrderWarning === false) return; // unpadded versions are the runner's convention (Flyway)
    const applied = files.map((f) => f.migration).filter((m) => m.version !== undefined);
    const byName = [...applied].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 0; i < applied.length; i++) {
      if (applied[i] === byName[i]) continue;
      const runnerFirst = applied[i];
      const nameFirst = byName[i];
      report({
        file: nameFirst.file,
        message: `${nameFirst.name} sorts before ${runnerFirst.name} by name, but ${options.runner.name} applies ${runnerFirst.name} first (${options.runner.lint.orderName ?? 'version order'})`,
        help: 'pad the versions to one width (e.g. 0009_, 0010_) so that name order and version order agree; never rename a migration that has been applied anywhere',
        line: 1,
        column: 1,
      });
      return; // one finding: the first place the orders part
    }
  },
});
