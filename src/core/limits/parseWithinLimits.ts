import ts from 'typescript';
import { DigestCollector } from '../ts/fileDigest';
import { MAX_SYNTAX_DEPTH, syntaxDepth } from './syntaxDepth';

export interface GuardedSourceFile {
  sourceFile: ts.SourceFile;
  /** Why the file's real content was left out (the source file is then empty), in words a user can act on. */
  problem?: string;
}

const WHAT_TO_DO = 'the file is left out of the analysis and the rest is analysed. If it is generated, add it to "exclude" in shipshape.config.json';

/**
 * Parses a file for the program, or stands an empty file in for it when its syntax would take
 * the analysis down: TypeScript's parser, binder and checker and the rules' walks all recurse per
 * level, so one 800-level expression (or a 1 MB line of `(`) overflows the stack of the whole
 * process. An empty stand-in keeps the program whole; the caller names the file and the reason.
 */
export function parseWithinLimits(fileName: string, text: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): GuardedSourceFile {
  let sourceFile: ts.SourceFile;
  try {
    // Parents are linked by the depth walk below, not by a second walk of the parser's.
    sourceFile = ts.createSourceFile(fileName, text, languageVersion, false);
  } catch (err) {
    const why = err instanceof RangeError ? 'it nests too deeply for the TypeScript parser' : `the TypeScript parser failed on it (${(err as Error).message})`;
    return { sourceFile: ts.createSourceFile(fileName, '', languageVersion, true), problem: `${why}; ${WHAT_TO_DO}.` };
  }
  // The same walk digests the file (the nodes every rule starts from), but a declaration file's.
  const digest = sourceFile.isDeclarationFile ? undefined : new DigestCollector();
  const depth = syntaxDepth(sourceFile, MAX_SYNTAX_DEPTH, true, digest && ((node) => digest.add(node)));
  if (depth > MAX_SYNTAX_DEPTH) {
    return {
      sourceFile: ts.createSourceFile(fileName, '', languageVersion, true),
      problem: `its syntax nests more than ${MAX_SYNTAX_DEPTH} levels deep, more than Shipshape analyses safely; ${WHAT_TO_DO}.`,
    };
  }
  digest?.finish(sourceFile);
  return { sourceFile };
}
