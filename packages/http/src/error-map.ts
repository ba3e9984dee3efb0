// Stage "errors": a response or a transport failure as a typed error. One rule picks the class of an
// error response: the operation's error map by exact status, then range (`4XX`), then `default`,
// else APIError; a declared class is used whatever the body, its `data` set only when the body has
// the declared shape. So the same 401 gives the same class on every path.
import { APIError, ConnectionError, InvalidRequestError, type RequestInfo, type SDKError } from "@sdk/errors";
import * as v from "valibot";
import { isJSONContentType, parseJSON } from "./decode.js";
import type { ErrorClass, Operation } from "./operation.js";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function pickErrorClass(op: Operation<any, any, any>, status: number): ErrorClass {
  const map = op.errors;
  if (!map) return APIError;
  return map[String(status)] ?? map[`${Math.floor(status / 100)}XX`] ?? map.default ?? APIError;
}

/** An error response as its declared class (see above). */
export function buildAPIError(
  op: Operation<any, any, any>,
  name: string,
  response: Response,
  body: string,
  request: RequestInfo,
): APIError {
  const json = isJSONContentType(response.headers.get("content-type")) && body ? parseJSON(body) : undefined;
  const raw = json?.ok ? json.value : undefined;
  // Redirects are not followed (fetch's `redirect: "manual"`): the credentials stay with this server.
  const redirected = REDIRECTS.has(response.status) || response.type === "opaqueredirect";
  const init = {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body,
    response,
    request,
    operation: name,
    message: redirected ? "redirect not followed (credentials stay with this server)" : undefined,
  };
  const ErrorType = pickErrorClass(op, response.status);
  if (ErrorType === APIError) return new APIError({ ...init, data: raw });
  if (!ErrorType.dataSchema) return new ErrorType({ ...init, data: raw });
  const parsed = v.safeParse(ErrorType.dataSchema, raw);
  return new ErrorType({ ...init, data: parsed.success ? parsed.output : undefined });
}

/**
 * What a failure to get a response means: the request could not be built (the caller's input), or
 * it could not be sent (a ConnectionError keeping the original failure as its cause).
 */
export function transportFailure(
  error: unknown,
  sent: boolean,
  name: string,
  request: RequestInfo,
): SDKError {
  if (!sent) {
    // ofetch failed to build the request (a lone surrogate in the query, a body JSON cannot
    // serialize): the caller's input, not the network.
    return new InvalidRequestError(
      name,
      [
        {
          path: "request",
          expected: "an encodable query and a JSON-serializable body",
          message: "cannot be encoded",
        },
      ],
      { cause: error },
    );
  }
  // ofetch wraps fetch's failure in a FetchError whose message quotes the full URL (and so a query
  // credential): keep the original failure as the cause.
  const cause = (error as Error)?.name === "FetchError" ? ((error as Error).cause ?? error) : error;
  return new ConnectionError(request, cause);
}
