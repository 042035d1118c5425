// The one error catalogue. Every error tsqemu reports to the user is a TsqemuError
// subclass with a stable code and the host exit status it ends with. Classes are sorted
// by code. Only main.ts prints them ("<prog>: <message>", one line) and exits.

/** Exit status for user errors (bad option, bad program file): like qemu-arm. */
export const EXIT_USAGE = 1;
/** Exit status for a bug in tsqemu itself (an exception that is not a TsqemuError). */
export const EXIT_INTERNAL = 70;

export type TsqemuErrorCode =
  | 'BAD_OPTION_VALUE'
  | 'CANNOT_OPEN_PROGRAM'
  | 'INVALID_ELF'
  | 'LOG_FILE'
  | 'MISSING_ARGUMENT'
  | 'MISSING_INTERPRETER'
  | 'NO_PROGRAM'
  | 'NOT_EXECUTABLE'
  | 'NOT_SUPPORTED'
  | 'OUT_OF_GUEST_MEMORY'
  | 'PLUGIN'
  | 'UNKNOWN_OPTION';

export abstract class TsqemuError extends Error {
  abstract readonly code: TsqemuErrorCode;
  readonly exitStatus: number = EXIT_USAGE;
}

/** An option's value is not acceptable: `-s 0`, `-cpu bogus`, `-d bogus`, `-seed x`. */
export class BadOptionValueError extends TsqemuError {
  readonly code = 'BAD_OPTION_VALUE';
}

/** The guest program file cannot be read (missing, a directory, no permission). */
export class CannotOpenProgramError extends TsqemuError {
  readonly code = 'CANNOT_OPEN_PROGRAM';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** An ELF file tsqemu cannot run: wrong class, byte order, machine, or a damaged file. */
export class InvalidElfError extends TsqemuError {
  readonly code = 'INVALID_ELF';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: Invalid ELF image for this architecture (${detail})`);
  }
}

/** -D file cannot be opened for writing. */
export class LogFileError extends TsqemuError {
  readonly code = 'LOG_FILE';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Error opening logfile ${path}: ${reason}`);
  }
}

/** An option that takes an argument was the last word on the command line. */
export class MissingArgumentError extends TsqemuError {
  readonly code = 'MISSING_ARGUMENT';
  constructor(readonly option: string) {
    super(`missing argument for option '${option}'`);
  }
}

/** A dynamically linked program whose ELF interpreter (PT_INTERP) is not found, even under -L. */
export class MissingInterpreterError extends TsqemuError {
  readonly code = 'MISSING_INTERPRETER';
  constructor(
    readonly interpreter: string,
    readonly prefix: string | undefined,
  ) {
    super(
      prefix === undefined
        ? `Could not open ELF interpreter '${interpreter}': No such file or directory (dynamically linked program: give the directory holding the target's libraries with -L or QEMU_LD_PREFIX)`
        : `Could not open ELF interpreter '${interpreter}' under -L prefix '${prefix}': No such file or directory`,
    );
  }
}

/** Options only, no guest program. */
export class NoProgramError extends TsqemuError {
  readonly code = 'NO_PROGRAM';
  constructor() {
    super('no user program specified');
  }
}

/** The file is not an ELF file at all (a script, a text file). */
export class NotExecutableError extends TsqemuError {
  readonly code = 'NOT_EXECUTABLE';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: Exec format error (${detail})`);
  }
}

/** A qemu-arm option or feature tsqemu knows about but does not implement yet. */
export class NotSupportedError extends TsqemuError {
  readonly code = 'NOT_SUPPORTED';
}

/** The program (or its stack) does not fit in the guest address space. */
export class OutOfGuestMemoryError extends TsqemuError {
  readonly code = 'OUT_OF_GUEST_MEMORY';
}

/**
 * A plugin cannot be used: not found, not loadable, wrong API version, install failed, a
 * bad plugin argument, or a callback threw. The message names the plugin.
 */
export class PluginError extends TsqemuError {
  readonly code = 'PLUGIN';
  constructor(
    readonly plugin: string,
    readonly detail: string,
  ) {
    super(`plugin ${plugin}: ${detail}`);
  }
}

/** An option name that is not in the option table. */
export class UnknownOptionError extends TsqemuError {
  readonly code = 'UNKNOWN_OPTION';
  constructor(readonly option: string) {
    super(`unknown option '${option}'`);
  }
}

export function isTsqemuError(e: unknown): e is TsqemuError {
  return e instanceof TsqemuError;
}

const HOST_ERROR_TEXT: Record<string, string> = {
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EPERM: 'Operation not permitted',
};

/** strerror()-style text for a Node.js file-system error ("No such file or directory"). */
export function hostErrorReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in HOST_ERROR_TEXT) return HOST_ERROR_TEXT[code]!;
  return e instanceof Error ? e.message : String(e);
}
