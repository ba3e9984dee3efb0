import { InvalidRequestError, ResponseValidationError } from "@sdk/errors";
import type { HttpClient } from "./client.js";
import type { CallOptions } from "./config.js";
import type { ResponseMeta } from "./execute.js";
import type { CursorPagination, InputOf, ItemOf, Operation, OutputOf } from "./operation.js";
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

/**
 * Runs a cursor-paginated operation: awaitable first page, async-iterable items. A function rather than
 * an `HttpClient` method so that an app that never pages does not bundle this module (a class method
 * is kept by every bundler whenever the class is).
 */
export function paginate<S, O extends Operation<any, any, any>>(
  client: HttpClient<S>,
  operation: O,
  input: InputOf<O>,
  options?: CallOptions<S>,
): PagePromise<OutputOf<O>, ItemOf<O>> {
  const pagination = operation.pagination;
  if (!pagination) {
    throw new InvalidRequestError(operation.name ?? operation.id, [
      {
        path: "operation.pagination",
        expected: "a cursor pagination",
        message: "is not a paginated operation",
      },
    ]);
  }
  const base = (input ?? {}) as Record<string, unknown>;
  const fetchPage = (token: string | undefined): Promise<ResponseMeta<OutputOf<O>>> =>
    client
      .request(operation, { ...base, [pagination.inputToken]: token } as InputOf<O>, options)
      .withResponse();
  let firstToken: string | undefined;
  try {
    firstToken = base[pagination.inputToken] as string | undefined;
  } catch {
    // A getter that throws: the first page's input check reports it, typed.
  }
  return new PagePromise(
    client.request(operation, input, options).withResponse(),
    fetchPage,
    pagination,
    firstToken,
    operation.id,
  );
}
