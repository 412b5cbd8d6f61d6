/**
 * unindexed-filter: an ORM filter the syntax does not show — `where` built in a variable
 * (`{ where, order }`), options spread in (`{ ...options, order, limit }`), or a spread inside
 * the filter (`{ ...scope, status }`) — is unknown: no verdict, rather than "no filter at all".
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

const MIGRATION = `CREATE TABLE "Members" (id serial PRIMARY KEY, "teamId" int NOT NULL, role text NOT NULL, "createdAt" timestamptz NOT NULL);
CREATE INDEX members_team_id ON "Members" ("teamId");
`;
const SEQUELIZE = {
  'migrations/001_init.sql': MIGRATION,
  'src/db.ts': "import { Sequelize } from 'sequelize';\nexport const sequelize = new Sequelize('postgres://localhost/app');\n",
  'src/member.ts': "import { DataTypes, Model } from 'sequelize';\nimport { sequelize } from './db';\nexport class Member extends Model {}\nMember.init({ teamId: DataTypes.INTEGER, role: DataTypes.STRING }, { sequelize, modelName: 'Member' });\n",
};
const SQ = (body: string) => `import type { FindOptions, WhereOptions } from 'sequelize';\nimport { Member } from './member';\n${body}\n`;

const TYPEORM = {
  'migrations/001_init.sql': 'CREATE TABLE members (id serial PRIMARY KEY, team_id int NOT NULL, role text NOT NULL, created_at timestamptz NOT NULL);\nCREATE INDEX members_team_id ON members (team_id);\n',
  'src/member.entity.ts':
    "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity('members')\nexport class Member {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column({ name: 'team_id' }) teamId!: number;\n  @Column() role!: string;\n  @Column({ name: 'created_at' }) createdAt!: Date;\n}\n",
};
const TO = (body: string) => `import { DataSource, FindOptionsWhere } from 'typeorm';\nimport { Member } from './member.entity';\n${body}\n`;

const PRISMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Member {
  id     Int    @id @default(autoincrement())
  teamId Int
  role   String
  @@index([teamId])
}
`;
const PR = (body: string) => `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n${body}\n`;

const KNEX = (body: string) => `import knex from 'knex';\nconst db = knex({ client: 'pg' });\n${body}\n`;

const DEPS = { sequelize: '6.37.0', pg: '8.0.0', typeorm: '0.3.20' };
const cases = <T extends ValidCase>(list: T[]): T[] => list.map((c) => ({ dependencies: DEPS, ...c }));

const valid: ValidCase[] = cases([
  {
    name: 'Sequelize: options spread in, only the order shown',
    files: { ...SEQUELIZE, 'src/q.ts': SQ("export const page = (options: FindOptions) => Member.findAll({ ...options, order: [['createdAt', 'DESC']], limit: 25 });") },
  },
  {
    name: 'Sequelize: FindOptions spread after the where may replace it',
    withTypes: true,
    files: { ...SEQUELIZE, 'src/q.ts': SQ("export const admins = (options: FindOptions) => Member.findAll({ where: { role: 'admin' }, ...options });") },
  },
  {
    name: 'Sequelize: where built in a variable (shorthand)',
    files: { ...SEQUELIZE, 'src/q.ts': SQ("export const first = (where: WhereOptions) => Member.findOne({ where, order: [['createdAt', 'ASC']] });") },
  },
  {
    name: 'TypeORM: where built in a variable (shorthand)',
    files: { ...TYPEORM, 'src/q.ts': TO("export const page = (ds: DataSource, where: FindOptionsWhere<Member>) => ds.getRepository(Member).find({ where, order: { createdAt: 'DESC' }, take: 25 });") },
  },
  {
    name: 'Prisma: a spread inside where may filter more columns',
    files: { 'prisma/schema.prisma': PRISMA, 'src/q.ts': PR("const scope = { teamId: 1 };\nexport const admins = () => prisma.member.findMany({ where: { ...scope, role: 'admin' } });") },
  },
  {
    name: 'Knex: a spread inside the where object',
    files: { 'migrations/001_init.sql': TYPEORM['migrations/001_init.sql'], 'src/q.ts': KNEX("const scope = { team_id: 1 };\nexport const admins = () => db('members').where({ ...scope, role: 'admin' });") },
  },
]);

const invalid: InvalidCase[] = cases([
  {
    name: 'Sequelize: a spread before an explicit where does not hide it',
    files: { ...SEQUELIZE, 'src/q.ts': SQ("export const admins = (options: FindOptions) => Member.findAll({ ...options, where: { role: 'admin' } });") },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`Members` (`role`)'] }],
  },
  {
    name: 'Sequelize: a spread whose type has no where (transaction options) does not hide it',
    files: { ...SEQUELIZE, 'src/q.ts': SQ("interface TxOptions { transaction?: unknown; lock?: boolean }\nexport const admins = (options: TxOptions) => Member.findAll({ where: { role: 'admin' }, ...options });") },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`Members` (`role`)'] }],
  },
  {
    name: 'TypeORM: an order with no where at all is still judged',
    files: { ...TYPEORM, 'src/q.ts': TO("export const latest = (ds: DataSource) => ds.getRepository(Member).find({ order: { createdAt: 'DESC' }, take: 25 });") },
    errors: [{ messageId: 'unsortedLimit', file: 'src/q.ts', line: 3 }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });
