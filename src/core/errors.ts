// Errors are data: a FairwayError carries a machine-readable code and, for input problems, the
// list of issues with a path into the input (`flows[12].route[3]`). The core never prints or
// exits; cli/ formats these and picks the exit code.

export type ErrorCode =
  | 'E_INPUT'      // a user-supplied file or value is invalid (exit 2)
  | 'E_ARGUMENT'   // an API call got an invalid argument (programming error in the caller)
  | 'E_STALLED'    // a simulation cannot progress (activities stuck at rate 0)
  | 'E_INTERNAL';  // a bug in fairway

export interface InputIssue {
  /** Where in the input: `links[3].bw`, `flows[0].route[1]`, or '' for the whole document. */
  readonly path: string;
  readonly message: string;
}

export class FairwayError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly InputIssue[];

  constructor(code: ErrorCode, message: string, issues: readonly InputIssue[] = []) {
    super(message);
    this.name = 'FairwayError';
    this.code = code;
    this.issues = issues;
  }
}

/** Collects input issues so that a validator can report all of them at once, up to a cap. */
export class IssueList {
  readonly items: InputIssue[] = [];
  total = 0;
  constructor(private readonly cap = 50) {}

  add(path: string, message: string): void {
    this.total++;
    if (this.items.length < this.cap) this.items.push({ path, message });
  }

  get empty(): boolean {
    return this.total === 0;
  }

  /** Throws an E_INPUT FairwayError if anything was collected. */
  throwIfAny(what: string): void {
    if (this.total === 0) return;
    const more = this.total > this.items.length ? ` (showing the first ${this.items.length})` : '';
    throw new FairwayError('E_INPUT', `${what}: ${this.total} problem${this.total === 1 ? '' : 's'}${more}`, this.items);
  }
}

/** An input error about one field: `path: message`, with the same single issue. */
export function inputError(path: string, message: string): FairwayError {
  return new FairwayError('E_INPUT', `${path}: ${message}`, [{ path, message }]);
}

/** Throws inputError(path, message): for validators that stop at the first problem. */
export function failInput(path: string, message: string): never {
  throw inputError(path, message);
}

export function argumentError(path: string, message: string): FairwayError {
  return new FairwayError('E_ARGUMENT', `${path}: ${message}`, [{ path, message }]);
}
