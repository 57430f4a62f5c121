import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('bare-status-column');

describe('bare-status-column', () => {
  it('reports a column named status, suggesting <entity>_status', () => {
    expect(lintErrors('CREATE TABLE user_invitations (status text);')).toEqual(['001_m.sql:1:32 column "status" on user_invitations is too generic']);
  });
  it('accepts user_status and status_code', () => {
    lintOk('CREATE TABLE users (user_status text, status_code int);');
  });
});
