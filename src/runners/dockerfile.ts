import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { lineCommands, UNKNOWN } from './makefile.js';
import { argumentsOf, type ShellWord } from './package-scripts.js';
import type { ProgramCall } from './project-commands.js';

/**
 * A project's Dockerfiles, read (never built, nothing in them run) for the settings a migration CLI gets inside the
 * image: the `ENV` it runs with, and the `RUN` / `CMD` / `ENTRYPOINT` commands that call it. Parsed as the Dockerfile
 * reference (docs.docker.com/reference/dockerfile) and BuildKit's parser describe: parser directives (`# escape=`)
 * before anything else, `#` comment lines (dropped inside a continuation too), a line ending with the escape character
 * (then blanks) continuing on the next, keywords in any case, `ENV a=b c=d` and the legacy `ENV a b` (the rest of the
 * line is the value), `ARG name[=default]`, the shell form and the JSON exec form of RUN/CMD/ENTRYPOINT, heredocs
 * (`RUN <<EOF`), `WORKDIR` relative to the one before, and `$VAR` / `${VAR}` / `${VAR:-w}` / `${VAR:+w}` in the
 * instructions Docker expands (ENV, ARG, WORKDIR, COPY, FROM).
 */

/** A value only `docker build --build-arg` gives (an ARG without a default, and what uses it). */
export const BUILD_ARG = UNKNOWN;

export interface DockerEnvValue {
  value: string;
  /** 1-based line of the instruction that set it */
  line: number;
}

export interface DockerCommand {
  keyword: 'RUN' | 'CMD' | 'ENTRYPOINT';
  line: number;
  /** the JSON exec form's strings, or undefined for the shell form */
  exec?: string[];
  /** the shell form's text (`/bin/sh -c` runs it), or a heredoc's body */
  shell?: string;
  /** the stage's ENV (and, for RUN, its ARGs) where the instruction is */
  env: Map<string, DockerEnvValue>;
  /** WORKDIR where the instruction is (a container path) */
  workdir: string;
}

/** `COPY`/`ADD` of the build context (or of another stage, `--from`) into the image: how a container path maps to the project. */
interface DockerCopy {
  from?: string;
  sources: string[];
  /** absolute container path */
  dest: string;
  /** the destination is a folder (written with a trailing `/`, or several sources) */
  destIsFolder: boolean;
}

export interface DockerStage {
  /** `FROM … AS name`, lower-cased as Docker compares it */
  name?: string;
  line: number;
  /** the ENV of the stage once every instruction ran (inherited from a `FROM <earlier stage>`) */
  env: Map<string, DockerEnvValue>;
  commands: DockerCommand[];
  copies: DockerCopy[];
  /** the stage the stage is built on (`FROM build`), by index */
  base?: number;
  /** WORKDIR once every instruction ran (a container path) */
  workdir: string;
}

export interface Dockerfile {
  /** relative to the project root, `/`-separated */
  file: string;
  /** the build context: the Dockerfile's folder (`docker build .` beside it; a Compose `build.context` elsewhere is not read) */
  context: string;
  /**
   * Every stage, not only the last: `docker build --target dev` builds another one, and a multi-stage file often keeps
   * its tooling (tern, drizzle-kit, a migrate stage) in a stage other than the final image; which one the team builds
   * is not written in the file.
   */
  stages: DockerStage[];
}

/** Dockerfile names Docker's tools and editors recognise: `Dockerfile`, `Dockerfile.dev`, `migrate.Dockerfile`. */
function isDockerfileName(name: string): boolean {
  return /^(Dockerfile|Containerfile)(\.[^/]+)?$/.test(name) || /\.(Dockerfile|dockerfile|Containerfile)$/.test(name);
}

/** The Dockerfiles in `dir` (not below it), parsed; `root` is what `file` is relative to. */
export function readDockerfiles(dir: string, root: string = dir): Dockerfile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isDockerfileName).sort();
  } catch {
    return [];
  }
  const found: Dockerfile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      if (!statSync(file).isFile()) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    found.push({ file: path.relative(root, file).split(path.sep).join('/'), context: dir, stages: parseDockerfile(text) });
  }
  return found;
}

export interface DockerInstruction {
  /** upper-case */
  keyword: string;
  /** 1-based line where it starts */
  line: number;
  /** what follows the keyword, continuation lines joined (the escape and line break removed) */
  args: string;
  /** heredoc bodies (`RUN <<EOF`), in order */
  heredocs: string[];
}

/** The instructions of a Dockerfile's text, with their lines. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // parser directives: `# name=value` lines at the very top, before any blank line, comment or instruction
  for (; i < lines.length; i++) {
    const directive = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
  const continues = (line: string) => new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`).test(line);
  const instructions: DockerInstruction[] = [];
  while (i < lines.length) {
    const first = lines[i];
    if (/^\s*(#|$)/.test(first)) {
      i++;
      continue;
    }
    const line = i + 1;
    let joined = '';
    let current = first;
    for (;;) {
      i++;
      if (!continues(current)) {
        joined += current;
        break;
      }
      joined += current.replace(/[ \t]*$/, '').slice(0, -1);
      // inside a continuation, comment lines are dropped and empty lines skipped (BuildKit warns about the latter)
      while (i < lines.length && /^\s*(#|$)/.test(lines[i])) i++;
      if (i >= lines.length) break;
      current = lines[i];
    }
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    // heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`) of RUN/COPY/ADD: the lines up to the terminator belong to the instruction
    const heredocs: string[] = [];
    if (['RUN', 'COPY', 'ADD'].includes(keyword) && !args.startsWith('[')) {
      for (const doc of args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
        const body: string[] = [];
        while (i < lines.length) {
          const bodyLine = lines[i++];
          const stripped = doc[1] === '-' ? bodyLine.replace(/^\t+/, '') : bodyLine;
          if (stripped === doc[3]) break;
          body.push(stripped);
        }
        heredocs.push(body.join('\n'));
      }
    }
    instructions.push({ keyword, line, args, heredocs });
  }
  return instructions;
}

/** The stages of a Dockerfile's text (see Dockerfile.stages). */
export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  // ARGs before the first FROM: usable in FROM lines, and in a stage that declares them again (`ARG NAME`)
  const globalArgs = new Map<string, DockerEnvValue>();
  let stage: DockerStage | undefined;
  let args = new Map<string, DockerEnvValue>();
  let workdir = '/';
  const variables = () => new Map([...args, ...(stage?.env ?? [])]); // ENV wins over ARG (Dockerfile reference, "Using ARG variables")
  for (const instruction of dockerInstructions(text)) {
    const { keyword, line } = instruction;
    if (keyword === 'FROM') {
      const words = splitWords(instruction.args).filter((word) => !word.startsWith('--'));
      const image = expandWord(words[0] ?? '', globalArgs).toLowerCase();
      const name = words[1]?.toLowerCase() === 'as' ? words[2]?.toLowerCase() : undefined;
      const base = stages.findIndex((earlier) => earlier.name !== undefined && earlier.name === image);
      // a stage built on an earlier one starts with its ENV and WORKDIR
      workdir = base >= 0 ? stages[base].workdir : '/';
      stage = { name, line, env: new Map(base >= 0 ? stages[base].env : []), commands: [], copies: [], workdir, ...(base >= 0 ? { base } : {}) };
      args = new Map();
      stages.push(stage);
      continue;
    }
    if (keyword === 'ARG') {
      for (const word of splitWords(instruction.args)) {
        const eq = word.indexOf('=');
        const name = eq < 0 ? word : word.slice(0, eq);
        const scope = stage ? args : globalArgs;
        // no default: the value is `--build-arg`'s, or a global ARG's default redeclared in the stage
        const value = eq < 0 ? (stage ? globalArgs.get(name)?.value : undefined) ?? BUILD_ARG : expandWord(word.slice(eq + 1), stage ? variables() : globalArgs);
        scope.set(name, { value, line });
      }
      continue;
    }
    if (!stage) continue;
    if (keyword === 'ENV') {
      for (const [name, raw] of envPairs(instruction.args)) stage.env.set(name, { value: expandWord(raw, variables()), line });
    } else if (keyword === 'WORKDIR') {
      workdir = path.posix.resolve(workdir, expandWord(instruction.args, variables()));
      stage.workdir = workdir;
    } else if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      // RUN's own flags (`--mount=…`, `--network=none`) come before the command
      const body = keyword === 'RUN' ? instruction.args.replace(/^(--\S+\s+)+/, '') : instruction.args;
      const exec = execForm(body);
      const env = new Map(keyword === 'RUN' ? variables() : stage.env);
      const shell = exec ? undefined : instruction.heredocs.length > 0 ? instruction.heredocs.join('\n') : body;
      stage.commands.push({ keyword, line, env, workdir, ...(exec ? { exec } : { shell }) });
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const words = execForm(instruction.args) ?? splitWords(instruction.args);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--')).map((word) => expandWord(word, variables()));
      if (paths.length < 2 || instruction.heredocs.length > 0) continue;
      const written = paths[paths.length - 1];
      stage.copies.push({ ...(from !== undefined ? { from: from.toLowerCase() } : {}), sources: paths.slice(0, -1), dest: path.posix.resolve(workdir, written), destIsFolder: written.endsWith('/') || paths.length > 2 });
    }
  }
  return stages;
}

/**
 * The project path a container path of a stage holds, from the stage's COPY/ADD of the build context (`COPY . .`
 * in WORKDIR /app: /app/db/migrations is the context's db/migrations) or of an earlier stage (`COPY --from=build
 * /build /dist`), the last copy first; undefined when no copy covers it (a volume a Compose file mounts, a path the
 * image makes itself).
 */
export function containerPathInProject(dockerfile: Dockerfile, stage: DockerStage, containerPath: string): string | undefined {
  return inStage(dockerfile, dockerfile.stages.indexOf(stage), path.posix.normalize(containerPath), 0);
}

function inStage(dockerfile: Dockerfile, index: number, target: string, depth: number): string | undefined {
  const stage = dockerfile.stages[index];
  if (!stage || depth > dockerfile.stages.length) return undefined;
  for (const copy of [...stage.copies].reverse()) {
    for (const source of copy.sources) {
      if (/^[a-z]+:\/\//i.test(source) || /[*?[]/.test(source)) continue; // a URL (ADD) or a glob
      // a folder's contents land in dest; a file lands at dest, or in it when dest is a folder
      const sourceIsFile = copy.from === undefined && isFileIn(dockerfile.context, source);
      const landed = sourceIsFile && copy.destIsFolder ? path.posix.join(copy.dest, path.posix.basename(source)) : copy.dest;
      const rest = target === landed ? '' : target.startsWith(`${landed === '/' ? '' : landed}/`) ? target.slice(landed === '/' ? 1 : landed.length + 1) : undefined;
      if (rest === undefined || (sourceIsFile && rest !== '')) continue;
      if (copy.from === undefined) {
        const inContext = path.resolve(dockerfile.context, source.replace(/^\/+/, ''), rest);
        if (inContext === dockerfile.context || inContext.startsWith(`${dockerfile.context}${path.sep}`)) return inContext;
        continue;
      }
      const from = dockerfile.stages.findIndex((other, k) => k < index && (other.name === copy.from || String(k) === copy.from));
      if (from < 0) continue; // an image's files, not the project's
      const found = inStage(dockerfile, from, path.posix.join(path.posix.resolve('/', source), rest), depth + 1);
      if (found) return found;
    }
  }
  return stage.base !== undefined ? inStage(dockerfile, stage.base, target, depth + 1) : undefined;
}

function isFileIn(context: string, source: string): boolean {
  try {
    return statSync(path.resolve(context, source.replace(/^\/+/, ''))).isFile();
  } catch {
    return false;
  }
}

/**
 * The calls of `program` in the RUN instructions of the Dockerfiles in `dir` and in each stage's container command
 * (its last ENTRYPOINT, with its last CMD as arguments of an exec-form one: `ENTRYPOINT ["npx"]` + `CMD
 * ["drizzle-kit", "migrate"]`; else its last CMD): shell form read as `/bin/sh -c` reads it, exec form word by word,
 * `["sh", "-c", "…"]` as the shell form. A call's
 * `cwd` is the project folder its WORKDIR (after a `cd`) holds, undefined when no COPY maps it into the project; its
 * `env` is the stage's ENV (and ARGs, for RUN), as container values.
 */
export function dockerfileCalls(dir: string, program: string, root: string = dir): ProgramCall[] {
  const calls: ProgramCall[] = [];
  for (const dockerfile of readDockerfiles(dir, root)) {
    for (const stage of dockerfile.stages) {
      const named = (command: DockerCommand, what: string = command.keyword) => ({ ...command, where: `${dockerfile.file}:${command.line} (${what})` });
      const commands: (DockerCommand & { where: string })[] = stage.commands.filter((command) => command.keyword === 'RUN').map((command) => named(command));
      // the container's command: the stage's last ENTRYPOINT, its last CMD the arguments of an exec-form one (a
      // shell-form ENTRYPOINT ignores CMD); without an ENTRYPOINT, the last CMD
      const entrypoint = stage.commands.filter((command) => command.keyword === 'ENTRYPOINT').at(-1);
      const cmd = stage.commands.filter((command) => command.keyword === 'CMD').at(-1);
      if (entrypoint?.exec && cmd?.exec) commands.push(named({ ...entrypoint, exec: [...entrypoint.exec, ...cmd.exec] }, `ENTRYPOINT with the CMD of line ${cmd.line}`));
      else if (entrypoint) commands.push(named(entrypoint));
      else if (cmd) commands.push(named(cmd));
      for (const command of commands) {
        const script = command.exec && ['sh', 'bash', 'ash', 'dash'].includes(path.posix.basename(command.exec[0] ?? '')) && command.exec[1] === '-c' ? command.exec[2] : command.shell;
        const env = Object.fromEntries([...command.env].map(([name, { value }]) => [name, value]));
        const mapped = (containerDir: string | undefined) => (containerDir === undefined ? undefined : containerPathInProject(dockerfile, stage, containerDir));
        if (script !== undefined) {
          for (const shellCommand of lineCommands({ text: script, unknown: [], conditional: [] }, command.where, command.workdir)) {
            const found = argumentsOf(shellCommand.words, program);
            if (found) calls.push({ where: command.where, cwd: mapped(shellCommand.cwd), ...found, env });
          }
        } else if (command.exec) {
          const words: ShellWord[] = command.exec.map((text) => ({ text, dynamic: false }));
          const found = argumentsOf(words, program);
          if (found) calls.push({ where: command.where, cwd: mapped(command.workdir), ...found, env });
        }
      }
    }
  }
  return calls;
}

/** The JSON exec form (`["a", "b"]`), or undefined when the text is the shell form (not a JSON array of strings). */
function execForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** ENV's pairs: `a=b c="d e"` (each word split at its first `=`), or the legacy `a b c` (a, and the rest of the line). */
function envPairs(text: string): [string, string][] {
  const words = splitWords(text);
  if (words.length > 0 && !words[0].includes('=')) {
    const legacy = /^(\S+)\s+([\s\S]*)$/.exec(text);
    return legacy ? [[legacy[1], legacy[2]]] : [];
  }
  return words.filter((word) => word.includes('=')).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]);
}

/** Words split at blanks outside quotes, quotes and escapes kept for expandWord (BuildKit parseWords). */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === undefined && /\s/.test(c)) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    if (c === '\\' && quote !== "'" && i + 1 < text.length) {
      word += c + text[++i];
      continue;
    }
    if (c === quote) quote = undefined;
    else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    word += c;
  }
  if (word) words.push(word);
  return words;
}

/**
 * One word as Docker expands it (BuildKit shell lexer ProcessWord): quotes removed, `\` escapes, `$NAME` and
 * `${NAME}`, `${NAME:-word}` / `${NAME-word}`, `${NAME:+word}` / `${NAME+word}` from `variables`; a variable set
 * nowhere is empty, as in Docker; one only `--build-arg` gives stays BUILD_ARG, as does a form not read here.
 */
export function expandWord(word: string, variables: Map<string, DockerEnvValue>): string {
  let out = '';
  let quote: string | undefined;
  const lookup = (name: string) => variables.get(name)?.value;
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else out += c;
      continue;
    }
    if (c === '\\' && i + 1 < word.length) {
      const next = word[++i];
      // inside double quotes only `"`, `$` and `\` are escaped
      out += quote === '"' && !['"', '$', '\\'].includes(next) ? `\\${next}` : next;
      continue;
    }
    if (c === '"' || c === "'") {
      if (quote === c) quote = undefined;
      else if (quote === undefined) quote = c;
      else out += c;
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    const simple = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i + 1));
    if (simple) {
      out += lookup(simple[0]) ?? '';
      i += simple[0].length;
      continue;
    }
    if (word[i + 1] !== '{') {
      out += c;
      continue;
    }
    const close = word.indexOf('}', i + 2);
    if (close < 0) {
      out += BUILD_ARG;
      break;
    }
    const braced = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])([\s\S]*))?$/.exec(word.slice(i + 2, close));
    i = close;
    if (!braced) {
      out += BUILD_ARG;
      continue;
    }
    const value = lookup(braced[1]);
    const set = braced[2] === ':' ? value !== undefined && value !== '' : value !== undefined;
    if (braced[3] === '-') out += set ? value! : expandWord(braced[4], variables);
    else if (braced[3] === '+') out += set ? expandWord(braced[4], variables) : '';
    else out += value ?? '';
  }
  return out;
}

/** One stage's `ENV NAME value` of a Dockerfile in the project root, and the project path the value names. */
export interface DockerEnvSetting {
  /** `Dockerfile:12 (ENV TERN_MIGRATIONS /app/db/migrations)` */
  where: string;
  value: string;
  /** the project path the value (a container path, relative ones to the stage's WORKDIR) holds; undefined when no COPY maps it */
  path?: string;
}

/**
 * The values the Dockerfiles of `dir` give the variable `name` with ENV, one per instruction (a stage built on
 * another shows its ENV once), each with the project path it names when the image's COPY instructions map it.
 */
export function dockerfilePathSettings(dir: string, name: string, root: string = dir): DockerEnvSetting[] {
  const found = new Map<string, DockerEnvSetting>();
  for (const dockerfile of readDockerfiles(dir, root)) {
    for (const stage of dockerfile.stages) {
      const set = stage.env.get(name);
      if (!set) continue;
      const where = `${dockerfile.file}:${set.line} (ENV ${name} ${set.value.replaceAll(BUILD_ARG, '…')})`;
      if (found.has(where)) continue;
      const known = set.value !== '' && !set.value.includes(BUILD_ARG);
      const mapped = known ? containerPathInProject(dockerfile, stage, path.posix.resolve(stage.workdir, set.value)) : undefined;
      found.set(where, { where, value: set.value, ...(mapped ? { path: mapped } : {}) });
    }
  }
  return [...found.values()];
}
