// The fairway command-line program: the only code that reads argv and env, writes
// stdout and chooses exit codes. Input errors exit 2 with every problem listed; no stack traces.
import { Command, CommanderError } from 'commander';
import { FairwayError } from '../core/errors.js';
import { packageVersion as version } from '../io/package-info.js';
import { settleStagedOutputs } from './output.js';

type Register = (program: Command) => void;

/**
 * The commands in the order `fairway --help` lists them, each module loaded only when needed:
 * `fairway flows …` loads the flow replay, not the collective, workload and serving code every
 * other command pulls in (start-up 0.21 → 0.1 s).
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['flows', async () => (await import('./flows-command.js')).registerFlowsCommand],
  ['topo', async () => (await import('./topo-command.js')).registerTopoCommand],
  ['collective', async () => (await import('./collective-command.js')).registerCollectiveCommand],
  ['simulate', async () => (await import('./simulate-command.js')).registerSimulateCommand],
  ['serve', async () => (await import('./serve-command.js')).registerServeCommand],
  ['sweep', async () => (await import('./sweep-command.js')).registerSweepCommand],
  ['workload', async () => (await import('./workload-command.js')).registerWorkloadCommand],
];

/** The program with the command `argv` names (argv[2]), or with every command when it names none (help, --version, a typo). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('fairway')
    .description('Flow-level network and host co-simulation of AI systems (max-min fair sharing, WebAssembly solver).')
    .version(version())
    .exitOverride()
    // commander's usage errors read like fairway's own: `fairway: error: …`, once
    .configureOutput({ outputError: (str, write) => write(str.startsWith('error:') ? `fairway: ${str}` : str) })
    .showHelpAfterError('(run with --help for usage)')
    // each command parses its own options in order (`sweep merge -o` is merge's -o, not sweep's)
    .enablePositionalOptions();
  const named = COMMANDS.filter(([name]) => name === argv[2]);
  for (const [, load] of named.length > 0 ? named : COMMANDS) (await load())(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

export function formatError(e: FairwayError): string {
  const lines = [`fairway: error: ${e.message}`];
  // every issue is listed, unless there is one and the message already names its field and says it (issue 19, item 20: each error printed once)
  const one = e.issues.length === 1 ? e.issues[0] : undefined;
  const said = one !== undefined && e.message.includes(one.message) && (one.path === '' || e.message.includes(one.path));
  if (!said) for (const i of e.issues) lines.push(`  ${i.path || '(document)'}: ${i.message}`);
  return lines.join('\n') + '\n';
}

/** A closed or full standard output ends the program with at most one line on stderr, never a stack trace. */
function guardStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // the reader stopped reading (e.g. `| head -1`): what it wanted it got
    if (e.code === 'EPIPE') {
      settleStagedOutputs(true);
      process.exit(0);
    }
    // a result that could not be printed leaves none of the files beside it (output.ts)
    settleStagedOutputs(false);
    process.stderr.write(`fairway: error: cannot write to standard output: ${e.code === 'ENOSPC' ? 'no space left on device' : e.message}\n`);
    process.exit(1);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  guardStdout();
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0; // e.g. 1 when sweep points failed
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed the usage error
    }
    if (e instanceof FairwayError) {
      process.stderr.write(formatError(e));
      return e.code === 'E_INPUT' || e.code === 'E_ARGUMENT' ? 2 : e.code === 'E_STALLED' ? 3 : 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`fairway: internal error: ${msg}\n(please report this with the command and input that caused it: fairway ${version()}, Node.js ${process.version})\n`);
    return 1;
  }
}
