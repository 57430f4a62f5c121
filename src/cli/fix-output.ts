import { writeFileAtomic } from '../util/fs.js';

/** `--sql`: the script on stdout, or written atomically to `-o <file>`. */
export async function emitFixSql(sql: string, output: string | undefined): Promise<void> {
  if (output !== undefined) writeFileAtomic(output, sql);
  else await new Promise<void>((resolve, reject) => process.stdout.write(sql, (error) => (error ? reject(error) : resolve())));
}
