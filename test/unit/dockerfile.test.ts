import { describe, expect, it } from 'vitest';
import { BUILD_ARG, dockerInstructions, parseDockerfile } from '../../src/runners/dockerfile.js';

/** The Dockerfile reference's parsing rules, as src/runners/dockerfile.ts reads them (nothing is built or run). */
describe('Dockerfile reader', () => {
  it('ENV in both forms, ARG defaults and build-time values, WORKDIR relative to the last, FROM <stage> inheriting ENV', () => {
    const [base, app] = parseDockerfile(
      [
        'ARG ROOT=/srv',
        'FROM node:20 AS base',
        'ARG ROOT',
        'ARG TAG',
        'ENV MY_NAME="John Doe" MY_DOG=Rex\\ The\\ Dog \\',
        '    DIR=${ROOT}/app',
        'ENV LEGACY John "Doe" $TAG',
        'env lower=${UNSET:-fallback}',
        'WORKDIR $DIR',
        'WORKDIR db',
        'FROM base',
        'ENV MY_DOG=Fido',
      ].join('\n'),
    );
    const env = (stage: typeof base) => Object.fromEntries([...stage.env].map(([name, { value }]) => [name, value]));
    expect(env(base)).toEqual({ MY_NAME: 'John Doe', MY_DOG: 'Rex The Dog', DIR: '/srv/app', LEGACY: `John Doe ${BUILD_ARG}`, lower: 'fallback' });
    expect(base.env.get('DIR')?.line).toBe(5);
    expect(base.workdir).toBe('/srv/app/db');
    expect(env(app)).toMatchObject({ MY_NAME: 'John Doe', MY_DOG: 'Fido' });
    expect(app.workdir).toBe('/srv/app/db');
  });

  it('shell and exec forms, RUN flags, heredocs, comment lines inside continuations and the escape directive', () => {
    const [stage] = parseDockerfile(
      ['# escape=`', 'FROM alpine', 'RUN --mount=type=cache,target=/c echo a `', '# dropped', '  && echo b', 'CMD ["tern", "migrate"]', 'RUN <<EOF', 'tern migrate -m db', 'EOF', 'ENTRYPOINT [not json'].join('\n'),
    );
    expect(stage.commands.map(({ keyword, line, exec, shell }) => ({ keyword, line, exec, shell }))).toEqual([
      { keyword: 'RUN', line: 3, exec: undefined, shell: 'echo a   && echo b' },
      { keyword: 'CMD', line: 6, exec: ['tern', 'migrate'], shell: undefined },
      { keyword: 'RUN', line: 7, exec: undefined, shell: 'tern migrate -m db' },
      { keyword: 'ENTRYPOINT', line: 10, exec: undefined, shell: '[not json' },
    ]);
    expect(dockerInstructions('FROM a\n\n# c\nrun x\n').map((i) => [i.keyword, i.line])).toEqual([
      ['FROM', 1],
      ['RUN', 4],
    ]);
  });
});
