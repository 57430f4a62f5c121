import type { ShellWord } from './package-scripts.js';

/**
 * A Go program's command line as its `flag` package reads it (the golang-migrate and goose CLIs): `-name value`,
 * `-name=value` and `--name` alike; a boolean flag takes no separate value; the flags end at the first word that is
 * not one, or after `--`. `rest` is what follows them (the command and its arguments).
 */
export function goFlags(args: readonly ShellWord[], booleans: ReadonlySet<string>): { flags: Map<string, ShellWord>; rest: ShellWord[] } {
  const flags = new Map<string, ShellWord>();
  for (let i = 0; i < args.length; i++) {
    if (args[i].text === '--') return { flags, rest: args.slice(i + 1) };
    const flag = /^--?([^-=][^=]*)(?:=(.*))?$/s.exec(args[i].text);
    if (!flag) return { flags, rest: args.slice(i) };
    if (booleans.has(flag[1])) continue;
    const value = flag[2] !== undefined ? { text: flag[2], dynamic: args[i].dynamic } : args[++i];
    if (value) flags.set(flag[1], value);
  }
  return { flags, rest: [] };
}
