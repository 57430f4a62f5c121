import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/util/redact.js';

describe('redactSecrets keeps object names that merely contain a secret word', () => {
  it('a lint message naming a table before a colon stays whole (e2b-dev/infra: team_api_keys, access_tokens)', () => {
    const message = 'adds PRIMARY KEY (id) to existing table team_api_keys: its index is built under an ACCESS EXCLUSIVE lock';
    expect(redactSecrets(message, undefined, [])).toBe(message);
    expect(redactSecrets('drops table access_tokens: 3 columns', undefined, [])).toBe('drops table access_tokens: 3 columns');
    expect(redactSecrets('password_reset_tokens: index missing', undefined, [])).toBe('password_reset_tokens: index missing');
  });

  it('settings whose key ends in the secret name are still redacted', () => {
    expect(redactSecrets('password: hunter2', undefined, [])).toBe('password: ***');
    expect(redactSecrets('DB_PASSWORD: hunter2', undefined, [])).toBe('DB_PASSWORD: ***');
    expect(redactSecrets('api_key: abc123 and Authorization: Bearer', undefined, [])).toBe('api_key: *** and Authorization: ***');
    expect(redactSecrets('GITHUB_TOKEN=zzz api_keys=abc', undefined, [])).toBe('GITHUB_TOKEN=*** api_keys=***');
    // Django's SECRET_KEY, Rails' secret_key_base, AWS's secret access key in YAML
    expect(redactSecrets('SECRET_KEY: s3cr3t secret_key_base: abc aws_secret_access_key: xyz', undefined, [])).toBe('SECRET_KEY: *** secret_key_base: *** aws_secret_access_key: ***');
  });
});
