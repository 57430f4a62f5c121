import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { flyway } from '../../src/runners/flyway.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field: ministryofjustice/laa-data-claims-api. application.yml leaves spring.flyway.locations at classpath:db/migration;
 * application-main.yaml adds classpath:db/migration-main and application-preview.yaml / application-local.yaml add
 * classpath:db/migration-preview, each holding the V15 that creates the publication V20 alters. Replayed with the
 * default profile, V20 failed with 42704 and nothing said that the profiles read other folders.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const files = {
  'service/src/main/resources/application.yml': 'spring:\n  flyway:\n    schemas: claims\n',
  'service/src/main/resources/application-main.yaml': 'spring:\n  flyway:\n    locations: classpath:db/migration,classpath:db/migration-main\n',
  'service/src/main/resources/application-test.yml': 'spring:\n  datasource:\n    url: jdbc:postgresql://localhost/test\n',
  'service/src/main/resources/application-local.yml': '---\nspring:\n  config:\n    activate:\n      on-profile: ci\n  flyway:\n    locations: classpath:db/migration,classpath:db/migration-preview\n',
  'service/src/main/resources/db/migration/V1__claim.sql': 'CREATE TABLE claim (id int PRIMARY KEY);\n',
  'service/src/main/resources/db/migration-main/V2__publication.sql': 'CREATE PUBLICATION claims_pub FOR TABLE claim;\n',
};

const noticesOf = (root: string, env: Record<string, string>) =>
  (flyway.forProject!(path.join(root, 'service/src/main/resources/db/migration'), { projectRoot: root, env }).notices ?? []).join('\n');

describe('Spring profiles other than the active ones that set spring.flyway.locations', () => {
  it('are named in a notice with their locations and the variable that replays them', () => {
    const p = project(files);
    const notices = noticesOf(p.root, {});
    expect(notices).toContain(
      'other Spring profiles set spring.flyway.locations: ci (classpath:db/migration,classpath:db/migration-preview in service/src/main/resources/application-local.yml), main (classpath:db/migration,classpath:db/migration-main in service/src/main/resources/application-main.yaml); the replay reads profile default: replay another with SPRING_PROFILES_ACTIVE=<profile>',
    );
    expect(notices).not.toContain('test (');
  });

  it('leave the active profile out, and say nothing when no other profile sets them', () => {
    const p = project(files);
    const notices = noticesOf(p.root, { SPRING_PROFILES_ACTIVE: 'main' });
    expect(notices).toContain('other Spring profiles set spring.flyway.locations: ci (');
    expect(notices).not.toContain('main (');
    const plain = project({ 'src/main/resources/application.yml': 'spring:\n  flyway:\n    schemas: claims\n', 'src/main/resources/db/migration/V1__a.sql': 'SELECT 1;\n' });
    expect(noticesOf(plain.root, {})).not.toContain('other Spring profiles');
  });
});
