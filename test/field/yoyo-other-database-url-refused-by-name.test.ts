import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { InputError } from '../../src/errors.js';
import { tempProjects } from '../helpers/project.js';

// Field sweep (sqlx/diesel/refinery/yoyo): a yoyo project whose yoyo.ini says `database = mysql://...` (or
// `sqlite:///...`) was replayed on PostgreSQL, silently when the SQL happened to parse, or failing on SQLite's
// AUTOINCREMENT, where other runners refuse another database's history by name. yoyo picks its backend from the URL's
// scheme (pyproject.toml entry points `yoyo.backends`: postgresql, postgres, psql, postgresql+psycopg are PostgreSQL;
// sqlite, mysql, mysql+mysqldb, odbc, oracle, snowflake, redshift are not); `yoyo apply --database` wins over yoyo.ini.
const project = tempProjects();
const MIGRATION = '-- create t\n-- depends:\nCREATE TABLE t (id INT PRIMARY KEY);\n';

describe("a yoyo project whose database URL is another database's", () => {
  it("yoyo.ini's database = mysql://... is refused by name, without its credentials", async () => {
    const p = project({ 'yoyo.ini': '[DEFAULT]\nsources = migrations\ndatabase = mysql://app:s3cret@localhost/app\n', 'migrations/0001.create-t.sql': MIGRATION });
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('yoyo.ini database = mysql:… runs yoyo on MySQL (its mysql backend): these are MySQL migrations, not PostgreSQL ones');
    expect(String(error)).not.toContain('s3cret');
  });

  it('a sqlite:/// URL with %(here)s is refused; the command line --database wins over yoyo.ini', async () => {
    const lite = project({ 'yoyo.ini': '[DEFAULT]\nsources = migrations\ndatabase = sqlite:///%(here)s/app.db\n', 'migrations/0001.create-t.sql': MIGRATION });
    const error = await dump({ cwd: lite.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(String(error)).toContain('runs yoyo on SQLite');

    const overridden = project({
      'yoyo.ini': '[DEFAULT]\nsources = migrations\ndatabase = sqlite:///app.db\n',
      'Makefile': 'migrate:\n\tyoyo apply --batch --database postgresql://app@localhost/app migrations\n',
      'migrations/0001.create-t.sql': MIGRATION,
    });
    const result = await dump({ cwd: overridden.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.t');
  });
});
