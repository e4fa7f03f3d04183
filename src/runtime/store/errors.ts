/** The one error the store throws on purpose: a store it cannot use without risking damage. */

/**
 * Thrown when the store cannot be used safely: written by a newer cmc, corrupt or unreadable,
 * locked or not writable, or asked for a run or IR that is not there. The message names the
 * store path and says what to do; the store never repairs or overwrites silently.
 */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
  }
}
