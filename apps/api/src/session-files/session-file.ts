import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseDocument, YAMLError } from 'yaml';
import {
  CALENDAR_DATE_RULE,
  isCalendarDate,
  type DatePrecision,
  type DropReason,
  type RevisitReport,
  type LinkRelation,
  type SessionKind,
  type Strength,
} from '#governance';
import { inspectInput } from '../http/input-guard.js';
import { SESSION_FILE_UPDATE_TYPES, sessionFileSchema } from './session-file.schema.js';

export interface SessionFileTarget {
  readonly asSaid: string;
  readonly earliestDate?: string | null;
  readonly latestDate?: string | null;
}

export interface SessionFile {
  readonly session: {
    readonly id: string;
    readonly date: string;
    readonly title: string;
    readonly kind: SessionKind;
    readonly hosts: readonly { readonly name: string; readonly role?: string }[];
    readonly sourceUrl: string;
  };
  readonly commitments?: readonly {
    readonly id: string;
    readonly speaker: { readonly name: string; readonly role?: string };
    readonly ownerTeam: string;
    readonly topics: readonly string[];
    readonly summary: string;
    readonly quote: string;
    readonly target?: SessionFileTarget | null;
    readonly strength: Strength;
    readonly note?: string;
    readonly links?: readonly {
      readonly to: string;
      readonly relation: LinkRelation;
      readonly note?: string;
    }[];
  }[];
  readonly revisits?: readonly {
    readonly commitment: string;
    readonly statement: string;
    readonly quote?: string;
    readonly speaker?: { readonly name: string; readonly role?: string };
    readonly newTarget?: SessionFileTarget;
    readonly report?: SessionFileRevisitReport;
  }[];
  readonly updates?: readonly SessionFileUpdate[];
}

/** A status report with a revisit; the session's notes are added to its evidence on import. */
export interface SessionFileRevisitReport {
  readonly kind: RevisitReport['kind'];
  readonly note?: string;
  readonly evidence?: readonly string[];
  readonly reason?: DropReason;
  readonly explanation?: string;
  readonly datePrecision?: DatePrecision;
}

export interface SessionFileUpdate {
  readonly commitment: string;
  readonly type: (typeof SESSION_FILE_UPDATE_TYPES)[number];
  readonly on: string;
  readonly note: string;
  readonly source: string;
  readonly evidence?: readonly string[];
  readonly newTarget?: SessionFileTarget;
  readonly dropReason?: DropReason;
  readonly supersededBy?: string;
  readonly datePrecision?: DatePrecision;
}

export interface FileProblem {
  /** e.g. `commitments[3] (human-rights-hire)`, or `file` for the whole file. */
  readonly entry: string;
  readonly field: string;
  readonly reason: string;
}

/** The file cannot be imported; nothing was written. Each problem names the entry and the field. */
export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
  constructor(
    readonly file: string,
    readonly problems: readonly FileProblem[],
  ) {
    super(
      `${file}: ${problems.map((problem) => `${problem.entry}: ${problem.field ? `${problem.field}: ` : ''}${problem.reason}`).join('; ')}`,
    );
  }
}

let compiled: ValidateFunction | undefined;

/** Compiled on the first file read, not when the module loads: most starts and CLIs read none. */
function sessionFileValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  // `format: date` is the domain's calendar day: 2023-02-30 matches the pattern but is no day.
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
  return (compiled = ajv.compile(sessionFileSchema));
}

/** Parses and validates a whole file; nothing is imported from a file with any problem. */
export function parseSessionFile(file: string, text: string): SessionFile {
  let document: unknown;
  try {
    const parsed = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    // A warning is YAML the parser could only guess at, such as an unknown tag (`!python/object x`):
    // read as plain text it would import something the file did not mean.
    const [problem] = [...parsed.errors, ...parsed.warnings];
    if (problem) throw problem;
    document = parsed.toJS();
  } catch (error) {
    const where = error instanceof YAMLError && error.linePos ? `line ${error.linePos[0].line}` : 'file';
    throw new SessionFileError(file, [
      { entry: where, field: '', reason: `is not valid YAML: ${(error as Error).message.split('\n')[0]}` },
    ]);
  }
  // Text that cannot be stored, and nesting no session file has, are refused before the schema walks it.
  const unstorable = inspectInput(document).map(({ path, reason }) =>
    describe(
      { instancePath: path.map((segment) => `/${segment}`).join(''), keyword: 'text', params: {}, message: reason },
      document,
    ),
  );
  if (unstorable.length > 0) throw new SessionFileError(file, unstorable);
  const validate = sessionFileValidator();
  if (!validate(document))
    throw new SessionFileError(
      file,
      (validate.errors ?? []).map((error) => describe(error, document)),
    );
  return document as SessionFile;
}

/** `/commitments/3/target/latestDate` → entry `commitments[3] (its id)`, field `target.latestDate`. */
function describe(error: Pick<ErrorObject, 'instancePath' | 'keyword' | 'params' | 'message'>, document: unknown): FileProblem {
  const path = error.instancePath.split('/').slice(1);
  const [section, index, ...rest] = path;
  const field = [...rest, ...(error.keyword === 'required' ? [String(error.params.missingProperty)] : [])].join('.');
  const extra = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
  const reason =
    extra !== undefined
      ? 'is not a known field'
      : error.keyword === 'format' && error.params.format === 'date'
        ? CALENDAR_DATE_RULE
        : (error.message ?? 'is invalid');
  if (section === undefined) return { entry: 'file', field: extra ?? field, reason };
  if (index === undefined || !/^\d+$/.test(index))
    return { entry: section, field: [index, ...rest, extra].filter(Boolean).join('.'), reason };
  const item = (document as Record<string, { id?: string; commitment?: string }[]>)[section]?.[Number(index)];
  const name = item?.id ?? item?.commitment;
  return { entry: `${section}[${index}]${name ? ` (${name})` : ''}`, field: [field, extra].filter(Boolean).join('.'), reason };
}
