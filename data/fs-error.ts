/**
 * File-system errors in words for a message that already names the path: Node's own messages
 * repeat it ("ENAMETOOLONG: name too long, stat '<path>'"), which doubled a path that was itself
 * the problem, and "check its permissions" was the advice whatever the cause.
 */

/** The path (or a directory on it) does not exist: ENOENT, or ENOTDIR for a path through a regular file. */
export function isMissing(e: unknown): boolean {
  const code = (e as Partial<NodeJS.ErrnoException> | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Node's error text without the syscall and path: "ENAMETOOLONG: name too long". */
export function fsErrorText(e: unknown): string {
  const err = e as Partial<NodeJS.ErrnoException> | null;
  const message = typeof err?.message === "string" ? err.message : String(e);
  const head = /^([A-Z][A-Z0-9_]*: [^,]*)/.exec(message);
  const text = head ? head[1] : typeof err?.code === "string" ? err.code : message;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** What to do about a file that exists but cannot be opened or written, by error code. */
export function fsErrorAdvice(e: unknown): string {
  switch ((e as Partial<NodeJS.ErrnoException> | null)?.code) {
    case "EACCES":
    case "EPERM":
      return "check its permissions";
    case "ENAMETOOLONG":
      return "shorten the path (each name in it at most 255 bytes)";
    case "ELOOP":
      return "a symbolic link in the path points back on itself; fix the link";
    case "EMFILE":
    case "ENFILE":
      return "too many files are open; close some and try again";
    default:
      return "check the path and try again";
  }
}
