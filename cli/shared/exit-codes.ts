/** Exit codes shared by the project's commands. */
export const EXIT_OK = 0;
/** The input was checked and refused (e.g. an invalid dataset). */
export const EXIT_INVALID = 1;
/** The command line itself was wrong: unknown flag, bad value, missing argument. */
export const EXIT_USAGE = 2;
