/**
 * The return helper for the page behind Assure's `redirectUrl`.
 *
 * Importing it in a browser hands the return to the `<videoid-capture>`
 * element at once (parent frame, opener window, or full-page resume through
 * sessionStorage). Importing it in Node does nothing.
 */

/** The query parameters Assure appends to `redirectUrl`. */
export interface ReturnParams {
  dossierId: string;
  processId: string;
  status: string;
}

/** How the return was handed back. */
export type ReturnOutcome = "parent" | "opener" | "redirect" | "none";

/** Reads `dossierId`, `processId` and `status` from a query string; null unless all are valid. */
export declare function parseReturn(search: string): ReturnParams | null;

/** Hands the return to the element (runs once on import in a browser). */
export declare function handleReturn(win?: Window): ReturnOutcome;
