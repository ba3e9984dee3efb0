import type { IamClient } from "@sdk/iam";

declare const iam: IamClient;
declare const jws: string;

// ---- README ----
import { APIError, InvalidRequestError, StatusError } from "@sdk/iam";

try {
  await iam.generateServiceAccountToken({ jws });
} catch (error) {
  if (error instanceof StatusError) {
    // google.rpc.Status: code 3/16/13, the server's message, details with their "@type"
    console.error(error.status, error.code, error.message, error.details);
  } else if (error instanceof APIError) {
    console.error(error.status, error.body); // a status the contract does not declare
  } else if (error instanceof InvalidRequestError) {
    console.error(error.issues); // nothing was sent
  } else {
    throw error; // ConnectionError, RequestTimeoutError, RequestAbortedError, ResponseValidationError
  }
}
