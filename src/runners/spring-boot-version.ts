/**
 * The Spring Boot generation a module builds with, from its Maven or Gradle build: 1 (Spring Boot 1.x, which binds
 * Flyway's settings as `flyway.*`), 2 or later (`spring.flyway.*`), or undefined when the build does not say.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { xmlReader } from './flyway-maven-settings.js';
import { foldersUpTo } from './types.js';

const BOOT_ARTIFACTS = new Set(['spring-boot-starter-parent', 'spring-boot-dependencies', 'spring-boot-parent']);

/**
 * The major version of Spring Boot for the module folder `module` (a resources folder's module), read from the
 * pom.xml, build.gradle(.kts), gradle.properties and gradle/libs.versions.toml files from it up to the project root,
 * nearest first: the spring-boot-starter-parent (or spring-boot-dependencies BOM) version, a `spring-boot.version`
 * property, the `org.springframework.boot` Gradle plugin's version, `springBootVersion`.
 */
export function springBootMajorVersion(module: string, root: string): number | undefined {
  for (const dir of foldersUpTo(module, root)) {
    const found = pomVersion(path.join(dir, 'pom.xml')) ?? gradleVersion(dir);
    if (found !== undefined) return found;
  }
  return undefined;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function major(version: string | undefined): number | undefined {
  const match = /^\s*(\d+)\./.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

function pomVersion(file: string): number | undefined {
  const text = read(file);
  if (text === undefined || xmlReader().validate(text) !== true) return undefined;
  const project = xmlReader().parse(text)?.project;
  if (!project || typeof project !== 'object') return undefined;
  const properties: Record<string, unknown> = typeof project.properties === 'object' && project.properties ? project.properties : {};
  const value = (v: unknown) => {
    const written = typeof v === 'string' ? v : undefined;
    const reference = written && /^\$\{([^}]+)\}$/.exec(written.trim());
    return reference ? (typeof properties[reference[1]] === 'string' ? (properties[reference[1]] as string) : undefined) : written;
  };
  const boot = (d: any) => d && typeof d === 'object' && d.groupId === 'org.springframework.boot' && BOOT_ARTIFACTS.has(d.artifactId);
  if (boot(project.parent)) return major(value(project.parent.version));
  const managed = project.dependencyManagement?.dependencies?.dependency;
  for (const d of Array.isArray(managed) ? managed : managed ? [managed] : []) if (boot(d)) return major(value(d.version));
  for (const key of ['spring-boot.version', 'spring.boot.version', 'springboot.version', 'springBootVersion']) {
    const found = major(value(properties[key]));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** plugins { id 'org.springframework.boot' version '1.5.22.RELEASE' }, spring-boot-gradle-plugin:1.5.x, springBootVersion = '1.5.x' */
const GRADLE_PATTERNS = [
  /["']org\.springframework\.boot["']\s*\)?\s*version\s*\(?\s*["'](\d+)\./,
  /spring-boot-gradle-plugin:(\d+)\./,
  /\bspring[-_.]?boot[-_.]?version\b["']?\s*[=:]\s*["']?(\d+)\./i,
];

function gradleVersion(dir: string): number | undefined {
  for (const name of ['build.gradle', 'build.gradle.kts', 'gradle.properties', 'settings.gradle', 'settings.gradle.kts', path.join('gradle', 'libs.versions.toml')]) {
    const text = read(path.join(dir, name));
    if (text === undefined) continue;
    const lines = text.split('\n').filter((line) => !/^\s*(\/\/|#)/.test(line)).join('\n');
    const tomlBoot = name.endsWith('.toml') ? /^\s*spring[-_]?boot\s*=\s*["'](\d+)\./m.exec(lines) : null;
    for (const match of [tomlBoot, ...GRADLE_PATTERNS.map((pattern) => pattern.exec(lines))]) if (match) return Number(match[1]);
  }
  return undefined;
}
