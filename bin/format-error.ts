import type { SortlineError } from '../core/errors.js';

/** One human-readable block for stderr: code, message, location, and every detail with its pointer. */
export function formatError(err: SortlineError): string {
  const where: string[] = [];
  if (err.path && (err.line || !err.message.includes(err.path))) {
    where.push(err.path + (err.line ? `:${err.line}${err.column ? `:${err.column}` : ''}` : ''));
  }
  if (err.pointer !== undefined && err.pointer !== '') where.push(`at ${err.pointer}`);
  if (err.offset !== undefined) where.push(`at offset ${err.offset}`);
  let out = `sortline: ${err.code}: ${err.message}${where.length ? ` (${where.join(', ')})` : ''}\n`;
  for (const d of err.details) out += `  ${d.pointer === '' ? '/' : d.pointer}: ${d.message}\n`;
  return out;
}
