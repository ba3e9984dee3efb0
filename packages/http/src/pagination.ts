import { ResponseValidationError } from "@sdk/errors";
import type { ResponseMeta } from "./execute.js";
import type { CursorPagination } from "./operation.js";
import { APIPromise } from "./promise.js";

export type FetchPage<TPage> = (token: string | undefined) => Promise<ResponseMeta<TPage>>;

/**
 * The first page when awaited; every item across all pages with `for await`; whole pages with
 * `.pages()`. Pages are fetched lazily and the first one is never fetched twice.
 */
export class PagePromise<TPage, TItem> extends APIPromise<TPage> implements AsyncIterable<TItem> {
  readonly #fetchPage: FetchPage<TPage>;
  readonly #pagination: CursorPagination<TPage, TItem>;
  readonly #firstToken: string | undefined;
  readonly #operationId: string;

  constructor(
    first: Promise<ResponseMeta<TPage>>,
    fetchPage: FetchPage<TPage>,
    pagination: CursorPagination<TPage, TItem>,
    firstToken: string | undefined,
    operationId: string,
  ) {
    super(first);
    this.#operationId = operationId;
    this.#fetchPage = fetchPage;
    this.#pagination = pagination;
    this.#firstToken = firstToken;
  }

  async *pages(): AsyncGenerator<TPage, void, undefined> {
    const seen = new Set<string>();
    if (this.#firstToken) seen.add(this.#firstToken);
    let meta = await this.withResponse();
    for (;;) {
      yield meta.data;
      const next = this.#pagination.nextToken(meta.data);
      if (next === undefined || next === null || next === "") return;
      if (seen.has(next)) {
        // A server that hands back a cursor it already gave would make this loop forever.
        throw new ResponseValidationError({
          operation: this.#operationId,
          issues: [
            { path: "nextPageToken", expected: "a new page token", message: "repeats an earlier token" },
          ],
          status: meta.response.status,
          headers: meta.response.headers,
          body: "",
          response: meta.response,
          message: "the server repeated a page token; stopping instead of looping forever",
        });
      }
      seen.add(next);
      meta = await this.#fetchPage(next);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TItem, void, undefined> {
    for await (const page of this.pages()) yield* this.#pagination.items(page);
  }
}
