// The report iterators' walk (client.js loads this file on an iterator's first next()): the report's first_row /
// matches pages fetched one at a time, their rows yielded as objects keyed by the page's `header`.
import { LuxSciAbortError, LuxSciApiError, LuxSciReportTruncatedError, LuxSciValidationError } from "./errors.js";

const MAX_PAGE = 50000; // LuxSci's largest `matches`

function pageSizeOf(options, name) {
  const size = options?.pageSize ?? MAX_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw new LuxSciValidationError(`${name}: pageSize must be an integer from 1 to ${MAX_PAGE}`);
  }
  return size;
}

// A row as LuxSci gives it (a list of values in header order) becomes an object keyed by the column names.
function rowObject(row, header, operationId) {
  if (Array.isArray(row) && Array.isArray(header) && row.length === header.length) {
    return Object.fromEntries(header.map((column, i) => [column, row[i]]));
  }
  if (typeof row === "object" && row !== null && !Array.isArray(row)) return row;
  throw new LuxSciApiError(`${operationId}: a report row does not match its header`, { status: 200, operationId });
}

export async function* walk(client, operation, query, options, name) {
  if (query !== undefined && (typeof query !== "object" || query === null)) {
    throw new LuxSciValidationError(`${name}: the query must be an object`);
  }
  if (query?.matches !== undefined) throw new LuxSciValidationError(`${name}: give the page size as options.pageSize, not query.matches`);
  const pageSize = pageSizeOf(options, name);
  const callOptions = { ...options };
  delete callOptions.pageSize;
  let row = query?.first_row ?? 0;
  if (!Number.isInteger(row) || row < 0) throw new LuxSciValidationError(`${name}: query.first_row must be an integer ≥ 0`);
  for (;;) {
    // Aborted while the caller was busy with the last page's rows: fetch nothing more.
    if (callOptions.signal?.aborted) throw new LuxSciAbortError(`${operation}: the call was aborted`, { operationId: operation });
    const page = await client[operation]({ ...query, first_row: row, matches: pageSize }, callOptions);
    const rows = page?.rows;
    const total = page?.total_matches;
    if (!Array.isArray(rows) || !Number.isInteger(total)) {
      throw new LuxSciApiError(`${operation}: the report page has no rows list or no total_matches`, { status: 200, operationId: operation, body: page });
    }
    for (const item of rows) yield rowObject(item, page.header, operation);
    row += rows.length;
    if (row >= total) return;
    if (rows.length < pageSize) {
      throw new LuxSciReportTruncatedError(
        `${operation}: LuxSci returned ${rows.length} of the ${pageSize} rows asked from row ${row - rows.length} ` +
          `(${total} match; responses are capped at about 50 MB): resume with first_row: ${row} and a smaller pageSize`,
        { status: 200, operationId: operation, nextRow: row, totalMatches: total },
      );
    }
  }
}
