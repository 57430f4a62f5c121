import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/engine/url.js';
import { shownUrl } from '../../src/runners/golang-migrate-settings.js';

describe('redactUrl: one redactor for every URL pgdrift prints', () => {
  it.each([
    ['postgres://me:hunter2@db:5432/app', 'postgres://me:***@db:5432/app'],
    // a password written raw, with characters that end an authority for a URL parser
    ['postgres://me:pa/ss?w@db/app', 'postgres://me:***@db/app'],
    ['postgresql://me:p%40ss@h:5432/db?x=1', 'postgresql://me:***@h:5432/db?x=1'],
    // query parameters that hold a password, whatever the driver calls them
    ['postgres://db/app?user=me&password=hunter2&sslmode=disable', 'postgres://db/app?user=me&password=***&sslmode=disable'],
    ['postgres://db/app?sslpassword=x&PassFile=y', 'postgres://db/app?sslpassword=***&PassFile=***'],
    // shown exactly as written otherwise (no normalisation by a URL parser)
    ['postgres://me@db/app?search_path=%22My+App%22', 'postgres://me@db/app?search_path=%22My+App%22'],
    ['not a url', 'not a url'],
  ])('%s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrl(url)).not.toMatch(/hunter2|pa\/ss/);
  });

  it('a Makefile URL with values only the shell knows is shown with … for them, its password still hidden', () => {
    expect(shownUrl('postgres://me:secret@\0:5432/db?search_path=\0')).toBe('postgres://me:***@…:5432/db?search_path=…');
    // a raw `/` in the password: the Makefile reader's own redactor stopped there and printed it
    expect(shownUrl('postgres://me:pa/ss@\0/db')).toBe('postgres://me:***@…/db');
  });
});
