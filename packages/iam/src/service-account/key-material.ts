import { InvalidCredentialsError } from "../errors.js";
import { subtle } from "./encoding.js";

// The private keys of parsed credentials. A leaf module (it imports no other service-account module),
// so that credentials.ts, jws.ts and tokens.ts all reach the key without importing one another in a
// cycle.

interface KeyMaterial {
  /** PKCS#8 DER until the first import; dropped once WebCrypto holds the (non-extractable) key. */
  der: Uint8Array<ArrayBuffer> | undefined;
  key: Promise<CryptoKey> | undefined;
}

// The key lives here, not on the object: nothing that walks the object (JSON.stringify, util.inspect
// with showHidden, spreads, structuredClone, devtools) can reach it.
const material = new WeakMap<object, KeyMaterial>();

export function holdKey(credentials: object, der: Uint8Array<ArrayBuffer>): void {
  material.set(credentials, { der, key: undefined });
}

/** Whether `value` was created by parseServiceAccountCredentials of this copy of @sdk/iam. */
export function holdsKey(value: unknown): boolean {
  return typeof value === "object" && value !== null && material.has(value);
}

/** The signing key of parsed credentials, imported into WebCrypto once per credentials object. */
export function signingKeyOf(credentials: object): Promise<CryptoKey> {
  const entry = material.get(credentials);
  if (!entry) {
    throw new InvalidCredentialsError(
      "",
      "were not created by parseServiceAccountCredentials (of this copy of @sdk/iam)",
    );
  }
  if (!entry.key) {
    const der = entry.der!;
    entry.key = subtle()
      .importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"])
      .then(
        (key) => {
          entry.der = undefined;
          return key;
        },
        () => {
          // WebCrypto's own error says nothing useful and is not kept (it may describe the bytes).
          throw new InvalidCredentialsError("privateKey", "could not be imported as an RSA private key");
        },
      );
  }
  return entry.key;
}
