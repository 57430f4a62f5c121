import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { lint } from '../../src/commands/lint.js';
import { formatFindingsText } from '../../src/lint/format.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('the bundled sample (migrations/)', () => {
  it('lints clean under the helios preset, which is detected from its layout', async () => {
    const result = await lint({ cwd: repoRoot, today: '2025-11-25' });
    expect(formatFindingsText(result.findings)).toBe('');
    expect(result.preset).toBe('helios');
    expect(result.filesLinted).toBe(24);
    expect(result.suppressed).toBe(1);
    expect(result.exitCode).toBe(0);
  });
});
