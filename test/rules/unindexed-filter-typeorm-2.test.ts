/**
 * unindexed-filter and fk-without-index on TypeORM entities whose columns are not all declared
 * with TypeORM's decorators on the entity class itself (issue 10, vendure's shapes with our own
 * names): columns inherited from an abstract base class in another file, project decorators that
 * wrap TypeORM's column decorators, and project decorators that record their target in a
 * registry a start-up function applies TypeORM's decorators to. Every case runs with TypeORM's
 * declarations installed and without any.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

const DEPS = { typeorm: '0.3.20' };

function both<T extends ValidCase>(cases: T[]): T[] {
  return cases.flatMap((c) => [
    { ...c, name: `${c.name} (with types)`, withTypes: true, dependencies: DEPS },
    { ...c, name: `${c.name} (without types)`, withTypes: false, dependencies: DEPS },
  ]);
}

// ---- An abstract base class in another file --------------------------------------------------

const BASE = `import { CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';
export abstract class Stamped {
  @PrimaryGeneratedColumn()
  id!: number;

  @CreateDateColumn()
  createdAt!: Date;
}
`;

const LABEL = `import { Column, Entity } from 'typeorm';
import { Stamped } from '../common/stamped';
@Entity('labels')
export class Label extends Stamped {
  @Column() text!: string;
}
`;

const SOFT_LABEL = LABEL.replace('  @Column() text!: string;', '  @Column() text!: string;\n  @Column({ type: Date, nullable: true }) deletedAt!: Date | null;\n  @Column({ type: Date, nullable: true }) processedAt!: Date | null;');

const q = (body: string) => `import { DataSource, In } from 'typeorm';\nimport { Label } from './model/label.entity';\nexport const q = (ds: DataSource, ids: number[], t: string) => ${body};\n`;
const inherited = { 'src/common/stamped.ts': BASE, 'src/model/label.entity.ts': LABEL };

// ---- A project decorator wrapping TypeORM's ---------------------------------------------------

const WRAPPERS = `import { Column, PrimaryGeneratedColumn } from 'typeorm';
export const SurrogateKey = () => PrimaryGeneratedColumn('uuid');
export function OwnerRef(options?: { nullable?: boolean }) {
  return Column({ type: 'uuid', nullable: options?.nullable });
}
export function Described(): PropertyDecorator { return () => undefined; }
`;

const NOTE = `import { Column, Entity, Index } from 'typeorm';
import { Described, OwnerRef, SurrogateKey } from '../columns';
@Entity('notes')
@Index(['ownerId'])
export class Note {
  @SurrogateKey() key!: string;
  @OwnerRef() ownerId!: string;
  @Described() @Column() body!: string;
}
`;

const wrapped = { 'src/columns.ts': WRAPPERS, 'src/model/note.entity.ts': NOTE };
const nq = (body: string) => `import { DataSource } from 'typeorm';\nimport { Note } from './model/note.entity';\nexport const q = (ds: DataSource, k: string, o: string, b: string) => ${body};\n`;

// ---- A registry applied at start-up -----------------------------------------------------------

const REGISTRY = `let generatedKey: { target: object; property: string } | undefined;
const references = new Map<object, Array<{ target: object; property: string; nullable?: boolean }>>();

export function GeneratedKey() {
  return (target: object, property: string) => {
    generatedKey = { target, property };
  };
}

export function RefId(options?: { nullable?: boolean }) {
  return (target: object, property: string) => {
    const list = references.get(target) ?? [];
    list.push({ target, property, nullable: options?.nullable });
    references.set(target, list);
  };
}

export function generatedKeyTarget() {
  if (!generatedKey) throw new Error('no generated key');
  return generatedKey;
}

export function referencesOf(target: object) {
  return references.get(target) ?? [];
}
`;

const APPLY = `import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { generatedKeyTarget, referencesOf } from './registry';

export function applyKeyTypes(kind: 'increment' | 'uuid', entities: Function[]) {
  const { target, property } = generatedKeyTarget();
  PrimaryGeneratedColumn(kind as 'increment')(target, property);
  for (const entity of entities) {
    for (const ref of referencesOf(entity.prototype)) {
      Column({ type: kind === 'uuid' ? 'uuid' : 'int', nullable: ref.nullable ?? false })(ref.target, ref.property);
    }
  }
}
`;

const ROOT = `import { CreateDateColumn } from 'typeorm';
import { GeneratedKey } from './registry';
export abstract class Root {
  @GeneratedKey() id!: number;
  @CreateDateColumn() createdAt!: Date;
}
`;

const TICKET = `import { Column, Entity, Index, ManyToOne } from 'typeorm';
import { Root } from '../root';
import { RefId } from '../registry';
import { Queue } from './queue.entity';
@Entity('tickets')
export class Ticket extends Root {
  @Column() title!: string;
  @Index() @ManyToOne(() => Queue) queue!: Queue;
  @RefId() queueId!: number;
  @RefId({ nullable: true }) assigneeId!: number | null;
}
`;

const QUEUE = `import { Column, Entity } from 'typeorm';
import { Root } from '../root';
@Entity('queues')
export class Queue extends Root {
  @Column() name!: string;
}
`;

const registry = { 'src/registry.ts': REGISTRY, 'src/apply-key-types.ts': APPLY, 'src/root.ts': ROOT, 'src/model/ticket.entity.ts': TICKET, 'src/model/queue.entity.ts': QUEUE };
const tq = (body: string) => `import { DataSource, In } from 'typeorm';\nimport { Ticket } from './model/ticket.entity';\nexport const q = (ds: DataSource, ids: number[], n: number) => ${body};\n`;

const valid: ValidCase[] = both([
  { name: 'base class in another file: its primary key serves In(ids), ordered by its createdAt', files: { ...inherited, 'src/q.ts': q("ds.getRepository(Label).find({ where: { id: In(ids) }, order: { createdAt: 'DESC' } })") } },
  { name: 'wrapper decorators: the key a wrapper of PrimaryGeneratedColumn declares serves findOneBy', files: { ...wrapped, 'src/q.ts': nq('ds.getRepository(Note).findOneBy({ key: k })') } },
  { name: 'wrapper decorators: the column a wrapper of Column declares is served by the class @Index', files: { ...wrapped, 'src/q.ts': nq('ds.getRepository(Note).findBy({ ownerId: o })') } },
  { name: 'registry: the key registered for PrimaryGeneratedColumn at start-up serves findOneBy', files: { ...registry, 'src/q.ts': tq('ds.getRepository(Ticket).findOneBy({ id: n })') } },
  { name: 'registry: the @RefId column is the @Index-ed relation column', files: { ...registry, 'src/q.ts': tq('ds.getRepository(Ticket).findBy({ queueId: n })') } },
  {
    name: "QueryBuilder: a relation's referenced key ('t.queue.id') is its join column, which an @Index() serves",
    files: { ...registry, 'src/q.ts': tq("ds.getRepository(Ticket).createQueryBuilder('t').where('t.queue.id = :q', { q: n }).orderBy('t.createdAt', 'DESC').getOne()").replace('{ DataSource, In }', '{ DataSource }') },
  },
  {
    name: "QueryBuilder: another column of the related table ('t.queue.name') is not known here: left alone",
    files: { ...registry, 'src/q.ts': tq("ds.getRepository(Ticket).createQueryBuilder('t').where('t.title = :n', { n }).andWhere('t.queue.name = :q', { q: n }).getMany()").replace('{ DataSource, In }', '{ DataSource }') },
  },
  {
    name: 'a soft-delete flag alone (deletedAt: IsNull()): every live row matches, no index would be used',
    files: { ...inherited, 'src/model/label.entity.ts': SOFT_LABEL, 'src/q.ts': q('ds.getRepository(Label).find({ where: { deletedAt: IsNull() } })').replace('{ DataSource, In }', '{ DataSource, In, IsNull }') },
  },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'base class in another file: a filter on an own column is reported, naming the inherited primary key',
    files: { ...inherited, 'src/q.ts': q('ds.getRepository(Label).findBy({ text: t })') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`labels` (`text`)', '(id) starts with id'] }],
  },
  {
    name: 'wrapper decorators: a plain column next to them is still reported (a decorator that wraps nothing is no column)',
    files: { ...wrapped, 'src/q.ts': nq('ds.getRepository(Note).findBy({ body: b })') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`notes` (`body`)', '(key) starts with key'] }],
  },
  {
    name: "QueryBuilder: with the relation's key mapped, a filter on another column is still reported",
    files: { ...registry, 'src/q.ts': tq("ds.getRepository(Ticket).createQueryBuilder('t').where('t.title = :n', { n }).andWhere('t.assigneeId = :a', { a: n }).getMany()").replace('{ DataSource, In }', '{ DataSource }') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`tickets` (`title`, `assigneeId`)'] }],
  },
  {
    name: "a project's repository accessor taking the entity after a request context (connection.getRepository(ctx, Label))",
    files: {
      ...inherited,
      'src/connection.ts': "import { DataSource, ObjectLiteral, Repository } from 'typeorm';\nexport class Ctx { constructor(readonly tenant: string) {} }\nexport class Connection {\n  constructor(private readonly ds: DataSource) {}\n  getRepository<T extends ObjectLiteral>(ctx: Ctx | undefined, target: new () => T): Repository<T> {\n    return this.ds.getRepository(target);\n  }\n}\n",
      'src/q.ts': "import { Connection, Ctx } from './connection';\nimport { Label } from './model/label.entity';\nexport class Labels {\n  constructor(private readonly connection: Connection) {}\n  byText(ctx: Ctx, t: string) { return this.connection.getRepository(ctx, Label).findBy({ text: t }); }\n  byId(ctx: Ctx, id: number) { return this.connection.getRepository(ctx, Label).findOneBy({ id }); }\n}\n",
    },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`labels` (`text`)'] }],
  },
  {
    name: 'a soft-delete flag with ORDER BY … LIMIT is judged by its order',
    files: { ...inherited, 'src/model/label.entity.ts': SOFT_LABEL, 'src/q.ts': q("ds.getRepository(Label).find({ where: { deletedAt: IsNull() }, order: { text: 'ASC' }, take: 20 })").replace('{ DataSource, In }', '{ DataSource, In, IsNull }') },
    errors: [{ messageId: 'unsortedLimit', file: 'src/q.ts', line: 3, messageIncludes: ['`labels` in `text` order', 'ON labels (text)'] }],
  },
  {
    name: 'a queue flag alone (processedAt: IsNull()) is still judged',
    files: { ...inherited, 'src/model/label.entity.ts': SOFT_LABEL, 'src/q.ts': q('ds.getRepository(Label).find({ where: { processedAt: IsNull() } })').replace('{ DataSource, In }', '{ DataSource, In, IsNull }') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`labels` (`processedAt`)'] }],
  },
  {
    name: 'registry: a @RefId column without an index is reported',
    files: { ...registry, 'src/q.ts': tq('ds.getRepository(Ticket).findBy({ assigneeId: n })') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`tickets` (`assigneeId`)', '(id) starts with id'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });

runRuleTests(fkWithoutIndex, {
  valid: both([{ name: 'registry: the inherited registered key is what the relation references; its @Index() column is indexed', files: registry }]),
  invalid: both([
    {
      name: 'base class in another file: an unindexed relation to an entity whose key is inherited is still reported',
      files: { ...inherited, 'src/model/pin.entity.ts': "import { Entity, ManyToOne } from 'typeorm';\nimport { Stamped } from '../common/stamped';\nimport { Label } from './label.entity';\n@Entity('pins')\nexport class Pin extends Stamped {\n  @ManyToOne(() => Label) label!: Label;\n}\n" },
      errors: [{ messageId: 'fkWithoutIndex', file: 'src/model/pin.entity.ts', line: 6, messageIncludes: ['(`labelId`) on `pins`', '`labels`'] }],
    },
  ]),
});
