/**
 * unindexed-filter and fk-without-index on TypeORM projects: find options and QueryBuilder
 * chains in the entity's terms (table and columns from the decorators), and the entities as the
 * schema when the project has no migrations (`synchronize: true`). Every case runs with
 * TypeORM's declarations installed (the repository's node_modules) and without any.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

const DEPS = { typeorm: '0.3.20', '@nestjs/typeorm': '10.0.0' };

/** Each case with and without TypeORM's type declarations. */
function both<T extends ValidCase>(cases: T[]): T[] {
  return cases.flatMap((c) => [
    { ...c, name: `${c.name} (with types)`, withTypes: true, dependencies: DEPS },
    { ...c, name: `${c.name} (without types)`, withTypes: false, dependencies: DEPS },
  ]);
}

const MIGRATION = `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, tenant_id int NOT NULL);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE photos (id serial PRIMARY KEY, "userId" int NOT NULL REFERENCES users (id), url text NOT NULL);
CREATE INDEX photos_user_id_idx ON photos ("userId");
`;

const USER_ENTITY = `import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Photo } from './photo.entity';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  email!: string;

  @Column()
  status!: string;

  @Column({ name: 'tenant_id' })
  tenantId!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @OneToMany(() => Photo, (p) => p.user)
  photos!: Photo[];
}
`;

const PHOTO_ENTITY = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity('photos')
export class Photo {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  url!: string;

  @ManyToOne(() => User, (u) => u.photos)
  user!: User;
}
`;

const entities = { 'migrations/001_init.sql': MIGRATION, 'src/user.entity.ts': USER_ENTITY, 'src/photo.entity.ts': PHOTO_ENTITY };

const SERVICE = (body: string) => `import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, LessThan, Like, Repository } from 'typeorm';
import { User } from './user.entity';
import { Photo } from './photo.entity';

export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
  ) {}
${body}
}
`;

const valid: ValidCase[] = both([
  { name: 'findOneBy on a unique column', files: { ...entities, 'src/users.service.ts': SERVICE('  byEmail(email: string) { return this.users.findOneBy({ email }); }') } },
  { name: 'find on the primary key with In()', files: { ...entities, 'src/users.service.ts': SERVICE('  byIds(ids: number[]) { return this.users.find({ where: { id: In(ids) } }); }') } },
  {
    name: 'relation filter on the indexed join column (dataSource.getRepository)',
    files: { ...entities, 'src/users.service.ts': SERVICE('  photos(id: number) { return this.dataSource.getRepository(Photo).findBy({ user: { id } }); }') },
  },
  { name: 'Like() is not a conjunct find options can state: left alone', files: { ...entities, 'src/users.service.ts': SERVICE("  search(s: string) { return this.users.find({ where: { status: Like(s + '%') } }); }") } },
  { name: 'an OR array of where objects: left alone', files: { ...entities, 'src/users.service.ts': SERVICE('  any(s: string) { return this.users.find({ where: [{ status: s }, { email: s }] }); }') } },
  {
    name: 'QueryBuilder filtered through a joined alias: left alone',
    files: { ...entities, 'src/users.service.ts': SERVICE("  q(u: string) { return this.users.createQueryBuilder('u').leftJoin('u.photos', 'p').where('p.url = :u', { u }).getMany(); }") },
  },
  { name: 'QueryBuilder orWhere: left alone', files: { ...entities, 'src/users.service.ts': SERVICE("  q(s: string) { return this.users.createQueryBuilder('u').where('u.status = :s', { s }).orWhere('u.id = 1').getMany(); }") } },
  {
    name: 'a property the schema has no column for (custom naming strategy): left alone',
    files: {
      'migrations/001_init.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email_address text);',
      'src/user.entity.ts': "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity('users')\nexport class User {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column() nickname!: string;\n}\n",
      'src/q.ts': "import { DataSource } from 'typeorm';\nimport { User } from './user.entity';\nexport const q = (ds: DataSource, n: string) => ds.getRepository(User).findBy({ nickname: n });\n",
    },
  },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'find({ where, order, take }) through @InjectRepository, columns renamed by @Column({ name })',
    files: { ...entities, 'src/users.service.ts': SERVICE("  latest(tenantId: number) { return this.users.find({ where: { tenantId, status: 'active' }, order: { createdAt: 'DESC' }, take: 20 }); }") },
    errors: [{ messageId: 'notServed', file: 'src/users.service.ts', line: 11, column: 37, messageIncludes: ['`users` (`tenant_id`, `status`)', 'users_email_key (email) starts with email', 'ON users (tenant_id, status, created_at DESC)'] }],
  },
  {
    name: 'a value computed by a call (`Number(id)`, as in brocoders/nestjs-boilerplate) is a plain value, not a find operator',
    files: { ...entities, 'src/users.service.ts': SERVICE("  q(t: string) { return this.users.findOne({ where: { tenantId: Number(t) } }); }") },
    errors: [{ messageId: 'notServed', file: 'src/users.service.ts', line: 11, messageIncludes: ['`users` (`tenant_id`)'] }],
  },
  {
    name: 'BaseEntity-style static and getRepository(Entity) in a variable',
    files: {
      ...entities,
      'src/q.ts': "import { DataSource } from 'typeorm';\nimport { User } from './user.entity';\nexport async function q(ds: DataSource, s: string) {\n  const repo = ds.getRepository(User);\n  return repo.count({ where: { status: s } });\n}\n",
    },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`users` (`status`)'] }],
  },
  {
    name: 'EntityManager: manager.findOne(User, { where })',
    files: { ...entities, 'src/q.ts': "import { EntityManager } from 'typeorm';\nimport { User } from './user.entity';\nexport const q = (m: EntityManager, s: string) => m.findOne(User, { where: { status: s } });\n" },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`users` (`status`)'] }],
  },
  {
    name: 'QueryBuilder where/andWhere/orderBy strings with :named parameters, property paths mapped to columns',
    files: {
      ...entities,
      'src/users.service.ts': SERVICE("  q(t: number, since: Date) {\n    return this.users.createQueryBuilder('user').where('user.tenantId = :t', { t }).andWhere('user.createdAt > :since', { since }).orderBy('user.createdAt', 'DESC').getMany();\n  }"),
    },
    errors: [{ messageId: 'notServed', file: 'src/users.service.ts', line: 12, column: 12, messageIncludes: ['`users` (`tenant_id`, `created_at`)', 'ON users (tenant_id, created_at)'] }],
  },
  {
    name: 'QueryBuilder update().where() with a bare property name: TypeORM maps it to its column (no alias prefix in writes)',
    files: {
      ...entities,
      'src/users.service.ts': SERVICE("  q(t: number) {\n    return this.users.createQueryBuilder('user').update().set({ status: 'gone' }).where('tenantId = :t AND status = \\'active\\'', { t }).execute();\n  }"),
    },
    errors: [{ messageId: 'notServed', file: 'src/users.service.ts', line: 12, messageIncludes: ['`users` (`tenant_id`, `status`)'] }],
  },
  {
    name: 'a custom repository class extending Repository<User> (this.findOne)',
    files: {
      ...entities,
      'src/users.repository.ts': "import { DataSource, Repository } from 'typeorm';\nimport { User } from './user.entity';\nexport class UsersRepository extends Repository<User> {\n  constructor(ds: DataSource) { super(User, ds.createEntityManager()); }\n  byStatus(status: string) { return this.findOne({ where: { status } }); }\n}\n",
    },
    errors: [{ messageId: 'notServed', file: 'src/users.repository.ts', line: 5, messageIncludes: ['`users` (`status`)'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });

// ---- The entities as the schema (no migrations) ---------------------------------------------

const SYNC_USER = `import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Post } from './post.entity';

@Entity()
@Index(['lastName', 'firstName'])
export class UserAccount {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ unique: true })
  email!: string;

  @Column()
  firstName!: string;

  @Column()
  lastName!: string;

  @OneToMany(() => Post, (p) => p.author)
  posts!: Post[];
}
`;

const SYNC_POST = `import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserAccount } from './user.entity';

@Entity('posts')
export class Post {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column()
  slug!: string;

  @Column()
  status!: string;

  @ManyToOne(() => UserAccount, (u) => u.posts)
  author!: UserAccount;

  @ManyToOne(() => UserAccount)
  @JoinColumn({ name: 'editor_id' })
  editor!: UserAccount;

  @OneToOne(() => UserAccount)
  @JoinColumn()
  reviewer!: UserAccount;
}
`;

const syncEntities = { 'src/user.entity.ts': SYNC_USER, 'src/post.entity.ts': SYNC_POST };

runRuleTests(fkWithoutIndex, {
  valid: both([
    { name: 'a one-to-one owner: TypeORM adds a unique constraint on its join column', files: { 'src/user.entity.ts': SYNC_USER.replace('posts!: Post[];', 'posts!: Post[];\n'), 'src/post.entity.ts': SYNC_POST.replace(/  @ManyToOne[\s\S]*?editor!: UserAccount;\n/, '') } },
    { name: 'migrations define the tables: entities are not a second schema', files: { ...syncEntities, 'migrations/001_init.sql': 'CREATE TABLE posts (id serial PRIMARY KEY);' } },
    {
      name: '@Index() on a @ManyToOne relation property indexes its join column (default and @JoinColumn names)',
      files: {
        'src/user.entity.ts': SYNC_USER,
        'src/post.entity.ts': SYNC_POST.replace('  @ManyToOne(() => UserAccount, (u) => u.posts)', '  @Index()\n  @ManyToOne(() => UserAccount, (u) => u.posts)').replace('  @ManyToOne(() => UserAccount)\n  @JoinColumn({ name', "  @Index('posts_editor_idx')\n  @ManyToOne(() => UserAccount)\n  @JoinColumn({ name"),
      },
    },
  ]),
  invalid: both([
    {
      name: 'synchronize: @ManyToOne without an index, default join column <relation>Id and an explicit @JoinColumn name',
      files: syncEntities,
      errors: [
        { messageId: 'fkWithoutIndex', file: 'src/post.entity.ts', line: 16, column: 3, messageIncludes: ['FK_c5a322ad12a7bf95460c958e80e', '(`authorId`) on `posts`', 'scans all of `posts`', '`user_account`', 'ON posts ("authorId")'] },
        { messageId: 'fkWithoutIndex', file: 'src/post.entity.ts', line: 19, column: 3, messageIncludes: ['(`editor_id`) on `posts`'] },
      ],
    },
  ]),
});

runRuleTests(unindexedFilter, {
  valid: both([
    { name: 'synchronize: @Index() on the property serves findOneBy', files: { ...syncEntities, 'src/q.ts': "import { DataSource } from 'typeorm';\nimport { Post } from './post.entity';\nexport const q = (ds: DataSource, slug: string) => ds.getRepository(Post).findOneBy({ slug });\n" } },
    {
      name: 'synchronize: class-level @Index([lastName, firstName]) serves both names; @Column({ unique }) serves email',
      files: {
        ...syncEntities,
        'src/q.ts': "import { DataSource } from 'typeorm';\nimport { UserAccount } from './user.entity';\nexport const a = (ds: DataSource, f: string, l: string) => ds.getRepository(UserAccount).findBy({ firstName: f, lastName: l });\nexport const b = (ds: DataSource, e: string) => ds.getRepository(UserAccount).findOneBy({ email: e });\n",
      },
    },
  ]),
  invalid: both<InvalidCase>([
    {
      name: 'synchronize: an entity whose primary key the reader cannot see is not said to have no index at all',
      files: {
        'src/base.ts': "export function Key(): PropertyDecorator { return () => undefined; }\nexport abstract class Base {\n  @Key() id!: number;\n}\n",
        'src/tag.entity.ts': "import { Column, Entity } from 'typeorm';\nimport { Base } from './base';\n@Entity('tags')\nexport class Tag extends Base {\n  @Column() label!: string;\n}\n",
        'src/q.ts': "import { DataSource } from 'typeorm';\nimport { Tag } from './tag.entity';\nexport const q = (ds: DataSource, l: string) => ds.getRepository(Tag).findOneBy({ label: l });\n",
      },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`tags` (`label`): no index Shipshape could read from the entity `tags` covers it'] }],
    },
    {
      name: 'synchronize: a filter on a plain column of an entity named by its class (snake_case table)',
      files: { ...syncEntities, 'src/q.ts': "import { DataSource } from 'typeorm';\nimport { UserAccount } from './user.entity';\nexport const q = (ds: DataSource, f: string) => ds.getRepository(UserAccount).findBy({ firstName: f });\n" },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`user_account` (`firstName`)', 'starts with "lastName"'] }],
    },
  ]),
});
