import type { Fix } from '../finding';
import type { SuggestedIndex } from './coverage';
import type { PrismaModelInfo } from './prismaSchema';
import type { TableModel } from './schema';

/**
 * For a table a Prisma model defines: `@@index([field, …])` added to the model (Prisma then
 * generates the migration), before its closing brace. Only for indexes on plain columns.
 */
export function prismaIndexFix(models: PrismaModelInfo[], table: TableModel, suggestion: Pick<SuggestedIndex, 'columns'>): Fix | undefined {
  if (table.schema !== 'public' || !suggestion.columns) return undefined;
  const model = models.find((m) => m.table === table.name);
  if (!model || model.range.end.character !== 1) return undefined;
  const fieldOf = new Map([...model.columns].map(([field, column]) => [column, field]));
  const fields = suggestion.columns.map((c) => {
    const field = fieldOf.get(c.column);
    return field && (c.descending ? `${field}(sort: Desc)` : field);
  });
  if (fields.some((f) => !f)) return undefined;
  const at = { line: model.range.end.line, character: 0 };
  return {
    title: `Add @@index([${fields.join(', ')}]) to model ${model.model}`,
    edits: [{ file: model.file, range: { start: at, end: at }, newText: `  @@index([${fields.join(', ')}])\n` }],
  };
}
