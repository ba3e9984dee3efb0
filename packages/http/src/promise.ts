import type { ResponseMeta } from "./execute.js";

/**
 * What every call returns: awaiting it gives the parsed data; `.withResponse()` gives the data with
 * the raw Response and attempt count, from the same single request.
 */
export class APIPromise<T> implements Promise<T> {
  readonly #result: Promise<ResponseMeta<T>>;
  #data: Promise<T> | undefined;

  constructor(result: Promise<ResponseMeta<T>>) {
    this.#result = result;
  }

  withResponse(): Promise<ResponseMeta<T>> {
    return this.#result;
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#result.then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: this is a thenable by design
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#dataPromise().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return "APIPromise";
  }
}
