import * as path from 'node:path';
import { readPackageJson, type PackageInfo } from './packages';

/**
 * The workspace package each file belongs to (the nearest package.json with a name above it),
 * read once per folder. In a monorepo, which package a function lives in says who can see it: a
 * library package cannot import the packages that depend on it, it only meets their code through
 * the interfaces it declares.
 */
export class PackageOwners {
  private readonly byDir = new Map<string, PackageInfo | null>();

  ownerOf(file: string): PackageInfo | undefined {
    const passed: string[] = [];
    let owner: PackageInfo | null = null;
    for (let d = path.dirname(path.resolve(file)); ; d = path.dirname(d)) {
      const known = this.byDir.get(d);
      if (known !== undefined) {
        owner = known;
        break;
      }
      passed.push(d);
      const pkg = readPackageJson(d);
      if (pkg?.name) {
        owner = pkg;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    for (const d of passed) this.byDir.set(d, owner);
    return owner ?? undefined;
  }

  /** Whether `to`'s package declares a dependency on `from`'s: a call from `from` into `to` is a library reaching a dependent's implementation of its interface. */
  isDependentOf(to: string, from: string): boolean {
    const a = this.ownerOf(from);
    const b = this.ownerOf(to);
    return !!a?.name && !!b && a.file !== b.file && b.dependencies.has(a.name);
  }

  /**
   * Whether the package of `file` is `pkg` or runs with it: a runtime dependency (not a
   * devDependency — a package its tests start, such as a server a client library is tested
   * against, is not one its own code is handed at run time).
   */
  sees(file: string, pkg: PackageInfo): boolean {
    const own = this.ownerOf(file);
    return !!own && (own.file === pkg.file || (!!pkg.name && own.runtimeDependencies.has(pkg.name)));
  }
}
